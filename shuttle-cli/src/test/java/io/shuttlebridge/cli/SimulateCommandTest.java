package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
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
    void aSeedRunTwicePrintsTheSameDigestAndAnotherSeedAnother() {
        String first = digest(run("simulate", "--replicas", "2", "--ops", "40", "--seed", "5"));
        String again = digest(run("simulate", "--replicas", "2", "--ops", "40", "--seed", "5"));
        String other = digest(run("simulate", "--replicas", "2", "--ops", "40", "--seed", "6"));
        assertThat(first).matches("[0-9a-f]{64}").isEqualTo(again).isNotEqualTo(other);
        Run json = run("simulate", "--replicas", "2", "--ops", "40", "--seed", "5", "--json");
        assertThat(json.out()).contains("\"digest\":\"" + first + "\"");
    }

    private static String digest(Run r) {
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        String prefix = "digest of the final databases: ";
        return r.out()
                .lines()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length(), prefix.length() + 64))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no digest in " + r.out()));
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

    @ParameterizedTest
    @ValueSource(strings = {"LWW", "FIELD_LWW", "VERSION_STRICT", "MANUAL", "CUSTOM"})
    void aSchemaWithTextCompositeAndSelfReferencingKeysConverges(String policy) throws IOException {
        Path schema = resource("schemas/mixed-keys.sql");
        Run r = run(
                "simulate",
                "--schema",
                schema.toString(),
                "--replicas",
                "3",
                "--ops",
                "60",
                "--policy",
                policy,
                "--seed",
                "5");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .startsWith("seed 5")
                .contains("60 writes on mixed-keys.sql [category, warehouse, bin, stock]")
                .contains("check converged: every replica holds exactly the hub's rows in 4 table(s)")
                .contains("check written: every hub row is a row some node wrote")
                .contains("PASS (seed 5");
        assertThat(r.out()).containsPattern("did: 60 writes \\(\\d+ inserts, \\d+ updates, \\d+ deletes\\)");
    }

    @Test
    void theChinookSchemaConvergesUnderEveryFault() throws IOException {
        Path schema = resource("schemas/chinook.sql");
        Run r = run(
                "simulate",
                "--schema",
                schema.toString(),
                "--ops",
                "80",
                "--policy",
                "LWW",
                "--faults",
                "dup,lost-ack,crash,reorder",
                "--seed",
                "9",
                "--json");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out().strip())
                .startsWith("{\"seed\":9,")
                .contains("\"schema\":\"chinook.sql\"")
                .contains("\"tables\":[\"Artist\",\"Album\",\"Employee\",\"Customer\",\"Genre\",\"Invoice\"")
                .contains("\"PlaylistTrack\"")
                .contains("\"passed\":true");
    }

    @Test
    void aStatementTheDatabaseRefusesIsNamed() throws IOException {
        Path schema = dir.resolve("bad.sql");
        Files.writeString(
                schema,
                "CREATE TABLE a (id INTEGER PRIMARY KEY);\n\n-- a typo below\nCREATE TABLE b (id INTEGER PRIMARY KEY,, x TEXT);\n");
        Run r = run("simulate", "--schema", schema.toString(), "--ops", "1");
        assertThat(r.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(r.err())
                .startsWith("shuttle: bad.sql, line 4: CREATE TABLE b (id INTEGER PRIMARY KEY,, x TEXT) failed:")
                .contains("syntax error");
        assertThat(r.err().strip()).doesNotContain("\n");
    }

    @Test
    void aTableWithoutPrimaryKeyIsRefusedByName() throws IOException {
        Path schema = dir.resolve("nokey.sql");
        Files.writeString(
                schema, "CREATE TABLE t (id INTEGER PRIMARY KEY);\nCREATE TABLE audit_log (at TEXT, what TEXT);");
        Run r = run("simulate", "--schema", schema.toString(), "--ops", "1");
        assertThat(r.code()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(r.err()).contains("table \"audit_log\" in nokey.sql has no primary key");
    }

    @Test
    void aMissingSchemaFileAndTwoSchemasAreUsageErrors() {
        Run missing = run("simulate", "--schema", dir.resolve("none.sql").toString());
        assertThat(missing.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missing.err()).contains("none.sql does not exist");
        Run both = run("simulate", "--schema", dir.resolve("none.sql").toString(), "--tables", "2");
        assertThat(both.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(both.err()).contains("not both");
    }

    @Test
    void badArgumentsAreAUsageError() {
        assertThat(run("simulate", "--replicas", "two").code()).isEqualTo(Main.EXIT_USAGE);
        Run faults = run("simulate", "--faults", "dup,meteor", "--ops", "1");
        assertThat(faults.code()).isEqualTo(Main.EXIT_USAGE);
        assertThat(faults.err()).contains("unknown fault 'meteor'");
        assertThat(run("simulate", "--tables", "4").code()).isEqualTo(Main.EXIT_USAGE);
    }

    /** A schema file of the testkit's tests, copied out of its jar. */
    private Path resource(String name) throws IOException {
        Path out = dir.resolve(name.substring(name.lastIndexOf('/') + 1));
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            Files.copy(in, out);
        }
        return out;
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

    @Test
    void restoresAmongTheFaultsConvergeAndSayWhatHappened() {
        Run r = run(
                "simulate",
                "--replicas",
                "3",
                "--ops",
                "60",
                "--faults",
                "dup,lost-ack,crash,reorder,restore,copy,hub-restore",
                "--seed",
                "7001");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains("faults injected: dup ")
                .contains("restore ")
                .contains("check restores: ")
                .contains("PASS (seed 7001");
    }

    @Test
    void aSoakPrintsItsDailyTableAndFailsWithoutThePurge() {
        Run r = run("simulate", "--soak-days", "20", "--replicas", "3", "--ops", "30", "--seed", "4");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .startsWith("seed 4")
                .contains("soaking 20 simulated day(s): 3 device(s) at a time, 30 writes a day")
                .contains(" day  writes  rows devs | hub feed (tomb)")
                .contains("check bounded: every _shuttle_ table")
                .contains("PASS (seed 4");
        Run off = run(
                "simulate", "--soak-days", "20", "--replicas", "3", "--ops", "30", "--seed", "4", "--purge-every", "0");
        assertThat(off.code()).as(off.out() + off.err()).isEqualTo(1);
        assertThat(off.out())
                .contains("the hub's retention never runs")
                .contains("unbounded hub _shuttle_feed")
                .contains("FAIL (seed 4");
        Run refused = run("simulate", "--soak-days", "20", "--policy", "MANUAL");
        assertThat(refused.code()).isNotZero();
        assertThat(refused.err()).contains("--policy does not apply to --soak-days");
    }
}
