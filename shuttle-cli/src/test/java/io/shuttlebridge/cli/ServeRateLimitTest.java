package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code shuttle serve --rate-limit N/s [--rate-burst M]}: values that are not a rate are usage errors, told in one line. */
class ServeRateLimitTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "--rate-limit fast | 'fast' is not a request rate: write it as requests a second, like 50 or 50/s",
                "--rate-limit 0 | '0' is not a request rate",
                "--rate-limit 2.5 | '2.5' is not a request rate",
                "--rate-limit 10/m | '10/m' is not a request rate",
                "--rate-limit 99999999999 | is not a request rate",
                "--rate-burst 5 | --rate-burst needs --rate-limit",
                "--rate-limit 10/s --rate-burst 0 | --rate-burst must be at least 1 request, got 0",
                "--pool-timeout 100ms | --pool-timeout must be at least 250ms, got 100ms",
                "--pool-timeout soon | 'soon' is not a duration",
            })
    void aValueThatIsNotARateIsAUsageError(String options, String message) {
        String[] extra = options.trim().split(" ");
        String[] args = new String[3 + extra.length];
        args[0] = "serve";
        args[1] = "--db";
        args[2] = "no-such.db";
        System.arraycopy(extra, 0, args, 3, extra.length);
        CliBasicsTest.Run r = CliBasicsTest.run(args);
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains(message);
    }
}
