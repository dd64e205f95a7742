package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimulateCommandTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"LWW", "FIELD_LWW", "VERSION_STRICT", "MANUAL", "CUSTOM"})
    void everyPolicyConvergesUnderEveryFault(String policy) {
        Run r = run(
                "simulate",
                "--replicas",
                "2",
                "--ops",
                "30",
                "--tables",
                "3",
                "--policy",
                policy,
                "--faults",
                "dup,lost-ack,crash,reorder",
                "--seed",
                "7");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .startsWith("seed 7")
                .contains("check converged: every replica holds exactly the hub's rows")
                .contains("check written: every hub row is a row some node wrote")
                .contains("PASS (seed 7");
        if (policy.equals("LWW")) {
            assertThat(r.out()).contains("check LWW oracle");
        }
        if (policy.equals("FIELD_LWW")) {
            assertThat(r.out()).contains("check FIELD_LWW oracle");
        }
    }

    @Test
    void jsonIsOneObjectWithTheSameFacts() {
        Run r = run("simulate", "--replicas", "2", "--ops", "20", "--seed", "3", "--json");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out().strip())
                .startsWith("{\"seed\":3,")
                .endsWith("}")
                .contains("\"passed\":true")
                .contains("\"faultsInjected\":{");
    }

    @Test
    void keptFilesHoldTheSameRowsOnEveryReplica() throws Exception {
        Path keep = dir.resolve("kept");
        Run r = run(
                "simulate",
                "--replicas",
                "2",
                "--ops",
                "40",
                "--tables",
                "3",
                "--seed",
                "11",
                "--keep",
                keep.toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("databases kept in " + keep);
        for (String table : List.of("customer", "orders", "order_line")) {
            List<String> hub = rows(keep.resolve("hub.db"), table);
            for (String device : List.of("device0.db", "device1.db")) {
                assertThat(keep.resolve(device)).exists();
                assertThat(rows(keep.resolve(device), table))
                        .as(device + " " + table)
                        .isEqualTo(hub);
            }
        }
        assertThat(Files.exists(keep.resolve("device2.db"))).isFalse();
    }

    @Test
    void badArgumentsAreAUsageError() {
        assertThat(run("simulate", "--replicas", "two").code()).isEqualTo(Main.EXIT_USAGE);
        Run faults = run("simulate", "--faults", "dup,meteor", "--ops", "1");
        assertThat(faults.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(faults.err()).contains("unknown fault 'meteor'");
        assertThat(run("simulate", "--tables", "4").code()).isEqualTo(Main.EXIT_USAGE);
    }

    private static List<String> rows(Path file, String table) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
            List<String> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(rs.getString(i)).append('|');
                }
                out.add(row.toString());
            }
            return out;
        }
    }
}
