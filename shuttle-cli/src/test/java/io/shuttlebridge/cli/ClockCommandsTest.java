package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The clock's part of the command line: {@code serve --max-clock-skew} takes a duration, {@code sync}
 * warns in one line when the device's clock is off the hub's by more than the hub's bound, and
 * {@code status} shows the offset last measured.
 */
class ClockCommandsTest {
    @TempDir
    Path dir;

    /** The command line's one duration syntax (as {@code token issue --ttl} takes it). */
    @Test
    void durationsAreAWholeNumberWithAUnitOrIso8601() {
        DurationConverter d = new DurationConverter();
        assertThat(d.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(d.convert("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(d.convert("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(d.convert("0s")).isEqualTo(Duration.ZERO);
        assertThat(d.convert("PT90S")).isEqualTo(Duration.ofSeconds(90));
        for (String bad : new String[] {"soon", "5", "-5m", "5 min", ""}) {
            assertThatThrownBy(() -> d.convert(bad))
                    .as(bad)
                    .isInstanceOf(CommandLine.TypeConversionException.class)
                    .hasMessageContaining("duration");
        }
    }

    @Test
    void serveRefusesABadSkewInOneLine() {
        CliBasicsTest.Run r =
                CliBasicsTest.run("serve", "--db", dir.resolve("hub.db").toString(), "--max-clock-skew", "soon");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).contains("--max-clock-skew").contains("'soon' is not a duration");
        assertThat(CliBasicsTest.run("serve", "--help").out()).contains("--max-clock-skew");
    }

    @Test
    void serveRefusesANegativeSkewBeforeItListens() throws Exception {
        Path hubFile = dir.resolve("hub.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hubFile);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
        }
        assertThat(CliBasicsTest.run("init", "--db", hubFile.toString()).code()).isZero();
        CliBasicsTest.Run negative =
                CliBasicsTest.run("serve", "--db", hubFile.toString(), "--port", "0", "--max-clock-skew", "PT-5M");
        assertThat(negative.code()).isEqualTo(2);
        assertThat(negative.err().strip().lines())
                .singleElement()
                .satisfies(line -> assertThat(line).contains("the maximum clock skew must be zero or more"));
    }

    @Test
    void syncWarnsWhenTheDevicesClockIsOffAndStatusShowsTheOffset() throws Exception {
        Path hubFile = dir.resolve("hub.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + hubFile);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
            s.execute("INSERT INTO item VALUES (1, 'a')");
        }
        String device = dir.resolve("device.db").toString();
        try (ShuttleDatabase hubDb = ShuttleDatabase.sqlite(hubFile)) {
            Capture.enable(hubDb, CaptureOptions.allTables(), ProgressListener.NONE);
            // the hub's clock twenty minutes behind: this device's is twenty minutes ahead of it
            SyncEngine engine = SyncEngine.builder(hubDb)
                    .clock(() -> System.currentTimeMillis() - 1_200_000)
                    .build();
            try (HubServer hub =
                    HubServer.builder(engine).host("127.0.0.1").port(0).start()) {
                CliBasicsTest.Run clone =
                        CliBasicsTest.run("clone", "--hub", hub.url().toString(), "--db", device);
                assertThat(clone.code()).as(clone.err()).isZero();
                assertThat(CliBasicsTest.run("status", "--db", device).out())
                        .contains("clock       not measured against the hub's yet");

                CliBasicsTest.Run sync = CliBasicsTest.run("sync", "--db", device);
                assertThat(sync.code()).as(sync.err()).isZero();
                assertThat(sync.out()).startsWith("Synced:");
                assertThat(sync.err().strip().lines())
                        .singleElement()
                        .satisfies(line -> assertThat(line)
                                .startsWith("shuttle: warning: this device's clock is ")
                                .containsPattern("is (19 min 5\\d s|20 min|20 min \\d s) ahead of the hub's")
                                .contains("more than the hub's skew bound of 5 min")
                                .contains("fix this device's clock"));

                CliBasicsTest.Run status = CliBasicsTest.run("status", "--db", device);
                assertThat(status.out())
                        .containsPattern(
                                "clock       this device's clock is (19 min 5\\d s|20 min|20 min \\d s) ahead");
                var json = new ObjectMapper()
                        .readTree(CliBasicsTest.run("status", "--db", device, "--json")
                                .out());
                assertThat(json.get("hubClockOffsetMs").asLong()).isBetween(1_199_000L, 1_201_000L);
            }
        }
    }

    @Test
    void simulateWithSkewedClocksConvergesAndSaysWhatTheClocksDid() {
        CliBasicsTest.Run r = CliBasicsTest.run("simulate", "--ops", "40", "--seed", "5000", "--clock-skew");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains("devices' clocks off the hub's")
                .contains("check clocks: device")
                .contains("stamps as the hub recorded them after re-stamping")
                .contains("PASS (seed 5000");
        assertThat(r.err()).doesNotContain("WARN");
    }
}
