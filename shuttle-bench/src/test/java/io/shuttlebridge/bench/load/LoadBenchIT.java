package io.shuttlebridge.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.bench.Report;
import io.shuttlebridge.bench.hub.BenchHub;
import io.shuttlebridge.bench.hub.BenchPostgres;
import io.shuttlebridge.bench.hub.BenchRows;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code shuttle bench load} at a tiny size against a real PostgreSQL hub over HTTP and WebSocket. */
class LoadBenchIT {
    @TempDir
    static Path results;

    @BeforeAll
    static void resultsInTempDir() {
        System.setProperty(Report.RESULTS_PROPERTY, results.toString());
    }

    @AfterAll
    static void resultsBack() {
        System.clearProperty(Report.RESULTS_PROPERTY);
    }

    private record Run(int code, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = new CommandLine(new LoadBench())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void aTinyLoadReportsEveryFigureWithoutErrors() throws Exception {
        Run run = run("--devices", "2", "--streams", "3", "--seconds", "2", "--warmup", "1", "--probes", "3", "--json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode r = run.json();
        assertThat(r.path("errorCount").asLong())
                .as(r.path("errorExamples").toString())
                .isZero();
        assertThat(r.path("errors").size()).isZero();
        assertThat(r.path("streamsOpen").asInt()).isEqualTo(3);
        assertThat(r.path("streamsOpenOnHub").asInt()).isEqualTo(3);
        assertThat(r.path("streamsOpenAtEnd").asInt()).isEqualTo(3);
        assertThat(r.path("streamClient").asText()).contains("non-blocking sockets");

        double all = r.path("rowsPerSecond").asDouble();
        double one = r.path("oneDeviceRowsPerSecond").asDouble();
        assertThat(all).isPositive();
        assertThat(one).isPositive();
        assertThat(r.path("scaling").asDouble()).isCloseTo(all / one, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.path("pushes").asLong()).isPositive();
        // two devices each see the other's rows
        assertThat(r.path("pulledRowsPerSecond").asDouble()).isPositive();
        for (String p : new String[] {"push", "pull", "oneDevicePush", "oneDevicePull", "fanout", "probePush"}) {
            double p50 = r.path(p + "P50Ms").asDouble(-1);
            double p99 = r.path(p + "P99Ms").asDouble(-1);
            double max = r.path(p + "MaxMs").asDouble(-1);
            assertThat(p50).as(p).isPositive();
            assertThat(p99).as(p).isGreaterThanOrEqualTo(p50);
            assertThat(max).as(p).isGreaterThanOrEqualTo(p99).isLessThan(30_000);
        }
        // every stream heard of every probe push
        assertThat(r.path("fanoutNotifications").asInt()).isEqualTo(3 * 3);

        JsonNode m = r.path("measurements");
        assertThat(m.size()).isEqualTo(2);
        assertThat(m.get(0).path("what").asText()).isEqualTo("one device alone");
        assertThat(m.get(1).path("what").asText()).isEqualTo("2 devices together");
        assertThat(m.get(0).path("rows").asLong() % 10).isZero();
        assertThat(m.get(1).path("rows").asLong()).isPositive();
        assertThat(m.get(1).path("seconds").asDouble()).isBetween(2.0, 30.0);

        assertThat(r.path("hubHeapMb").asDouble()).isPositive();
        assertThat(r.path("hubHeapWithStreamsMb").asDouble()).isPositive();
        assertThat(r.path("hubRssMb").asDouble())
                .isGreaterThan(r.path("hubHeapMb").asDouble() / 4);
        assertThat(r.path("hubRssPeakMb").asDouble()).isPositive();
        assertThat(r.path("heapPerStreamKb").isNumber()).isTrue();
        assertThat(r.path("memory").asText()).contains("load generator");
        assertThat(r.path("targets").path("zero errors").asText()).isEqualTo("met");
        // the hub finished every push and pull sent to it before the next phase began
        for (String phase : new String[] {"Warmup", "OneDevice", "Load"}) {
            assertThat(r.path("backlogAfter" + phase + "Seconds").asDouble(-1))
                    .as(phase)
                    .isBetween(0.0, 4.0);
        }
        assertThat(r.path("syncCallsTheHubNeverCounted").asLong(-1)).isZero();
        // the hub's own counters saw the load: the rows pushed, and the streams told
        JsonNode counted = r.path("hubCountersDuringLoad");
        assertThat(counted.path("shuttle_changes_applied_total").asLong())
                .isEqualTo(m.get(1).path("rows").asLong());
        assertThat(counted.path("shuttle_stream_notifications_sent_total").asLong())
                .isPositive();
        assertThat(r.path("pool").asText()).isEqualTo("10 connections");
        assertThat(results.resolve("load.json")).exists();
    }

    @Test
    void aHubInAJvmOfItsOwnHasItsOwnMemoryMeasuredAndStreamsMayBeDevicesWebSockets() throws Exception {
        Run run = run(
                "--devices",
                "2",
                "--streams",
                "2",
                "--seconds",
                "1",
                "--warmup",
                "0",
                "--probes",
                "2",
                "--hub-process",
                "--hub-heap",
                "256m",
                "--stream-client",
                "jdk",
                "--json");
        assertThat(run.code()).as(run.err()).isZero();
        JsonNode r = run.json();
        assertThat(r.path("errorCount").asLong())
                .as(r.path("errorExamples").toString())
                .isZero();
        assertThat(r.path("hub").asText()).contains("JVM of its own (-Xmx256m");
        assertThat(r.path("memory").asText()).contains("the hub process alone");
        assertThat(r.path("hubHeapMb").asDouble()).isPositive().isLessThan(256);
        assertThat(r.path("hubRssMb").asDouble()).isPositive();
        assertThat(r.path("cpuCoresHubProcess").asDouble()).isPositive();
        assertThat(r.path("streamClient").asText()).contains("java.net.http");
        assertThat(r.path("fanoutNotifications").asInt()).isEqualTo(2 * 2);
        assertThat(r.path("rowsPerSecond").asDouble()).isPositive();
    }

    @Test
    void aRunningHubGivenByUrlIsLoadedAsItIs() throws Exception {
        try (BenchPostgres pg = BenchPostgres.start("loadit")) {
            pg.exec(String.format(BenchRows.PG_TABLE, "item"));
            try (BenchHub hub = BenchHub.start(pg, 10_000)) {
                Run run = run(
                        "--hub",
                        hub.url(),
                        "--token",
                        hub.token(),
                        "--hub-pid",
                        Long.toString(ProcessHandle.current().pid()),
                        "--devices",
                        "2",
                        "--streams",
                        "2",
                        "--seconds",
                        "1",
                        "--warmup",
                        "0",
                        "--probes",
                        "2",
                        "--json");
                assertThat(run.code()).as(run.err()).isZero();
                JsonNode r = run.json();
                assertThat(r.path("errorCount").asLong())
                        .as(r.path("errorExamples").toString())
                        .isZero();
                assertThat(r.path("hub").asText()).contains("the hub at " + hub.url());
                assertThat(r.path("hubRssMb").asDouble()).isPositive();
                assertThat(r.has("hubHeapMb")).isFalse(); // not known of a hub the benchmark did not start
                assertThat(r.path("fanoutNotifications").asInt()).isEqualTo(2 * 2);
                try (Connection c = pg.connect();
                        Statement st = c.createStatement();
                        ResultSet rows = st.executeQuery("SELECT count(*) FROM item")) {
                    rows.next();
                    long pushed = r.path("measurements").get(0).path("rows").asLong()
                            + r.path("measurements").get(1).path("rows").asLong();
                    assertThat(rows.getLong(1)).isEqualTo(pushed + 2); // and the two probes' rows
                }
            }
        }
    }

    @Test
    void badArgumentsAreRefusedNamingTheOption() {
        Run devices = run("--devices", "0");
        assertThat(devices.code()).isEqualTo(2);
        assertThat(devices.err()).contains("--devices must be between 1 and 1000");
        Run both = run("--hub", "http://127.0.0.1:1", "--hub-process");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--hub and --hub-process exclude each other");
        Run pulls = run("--pull-limit", "-1");
        assertThat(pulls.code()).isEqualTo(2);
        assertThat(pulls.err()).contains("--pull-limit must not be negative, got -1");
        Run client = run("--stream-client", "carrier-pigeon");
        assertThat(client.code()).isEqualTo(2);
        assertThat(client.err()).contains("--stream-client must be nio or jdk, got carrier-pigeon");
        Run token = run("--token", "t");
        assertThat(token.code()).isEqualTo(2);
        assertThat(token.err()).contains("--token and --hub-pid go with --hub");
    }
}
