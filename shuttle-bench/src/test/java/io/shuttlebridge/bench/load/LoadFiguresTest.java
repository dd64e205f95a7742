package io.shuttlebridge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load benchmark's arithmetic: percentiles by nearest rank, and the numbers read off the hub's answers. */
class LoadFiguresTest {
    @Test
    void percentilesAreByNearestRankOverAllThreadsSamples() {
        Samples a = new Samples();
        Samples b = new Samples();
        for (int i = 1; i <= 1000; i++) {
            (i % 2 == 0 ? a : b).add(i * 1_000_000L); // 1..1000 ms, split between two threads
        }
        Samples.Percentiles p = Samples.merge(List.of(a, b));
        assertThat(p.count()).isEqualTo(1000);
        assertThat(p.p50()).isEqualTo(500.0);
        assertThat(p.p99()).isEqualTo(990.0);
        assertThat(p.max()).isEqualTo(1000.0);
        assertThat(Samples.merge(List.of(new Samples())).p99()).isNaN();
    }

    @Test
    void numbersAreReadOffAnswersWithoutDecodingThem() {
        byte[] push = bytes("{\"applied\":10,\"duplicates\":0,\"conflicts\":[],\"hubSeq\":4711,\"rejected\":[]}");
        assertThat(JsonScan.firstNumber(push, "applied", -1)).isEqualTo(10);
        assertThat(JsonScan.firstNumber(push, "hubSeq", -1)).isEqualTo(4711);
        assertThat(JsonScan.firstNumber(push, "pending", -1)).isEqualTo(-1);
        byte[] page = bytes("{\"changes\":[{\"table\":\"item\",\"key\":[1]},{\"table\":\"item\",\"key\":[2]}],"
                + "\"next\":812,\"more\":true}");
        assertThat(JsonScan.count(page, "{\"table\":")).isEqualTo(2);
        assertThat(JsonScan.lastNumber(page, "next", -1)).isEqualTo(812);
        assertThat(JsonScan.firstText(bytes("{\"error\":{\"code\":\"UNAVAILABLE\",\"message\":\"x\"}}"), "code"))
                .isEqualTo("UNAVAILABLE");
        assertThat(JsonScan.digits("{\"hubSeq\":90210}")).isEqualTo(90210);
        assertThat(JsonScan.digits("{}")).isEqualTo(-1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
