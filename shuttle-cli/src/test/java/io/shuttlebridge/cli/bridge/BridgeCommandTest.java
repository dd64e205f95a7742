package io.shuttlebridge.cli.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code shuttle bridge run|status|dlq|schedule} through {@link Main#execute}: output, --json, exit codes, --help. */
class BridgeCommandTest {
    static final String YAML = """
            entities:
              - name: items
                table: item
                source: {type: csv, path: items.csv}
                fields: {id: integer, name: string}
                rules: [{field: name, required: true}]
                mappings: [{target: id, source: id}, {target: name, source: name}]
                keys: [id]
                schedule: {window: "19:00-07:00", zone: Europe/Berlin}
            """;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    String db;
    String file;

    record Result(int code, String out, String err) {
        JsonNode json() throws IOException {
            return JSON.readTree(out);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        db = dir.resolve("app.db").toString();
        file = dir.resolve("bridge.yaml").toString();
        Files.writeString(dir.resolve("bridge.yaml"), YAML);
        Files.writeString(dir.resolve("items.csv"), "id,name\n1,Apple\n2,\n3,Plum\n");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
        }
    }

    Result shuttle(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out), new PrintWriter(err));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void runPrintsOneLinePerBatchOrJson() throws IOException {
        Result text = shuttle("bridge", "run", "--db", db, "-f", file, "items");
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out())
                .startsWith("batch 1 items SUCCEEDED: fetched 3, inserted 2,")
                .contains("dead-lettered 1");

        Result json = shuttle("bridge", "run", "--db", db, "-f", file, "--json");
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode batches = json.json();
        assertThat(batches.isArray()).isTrue();
        assertThat(batches.get(0).get("entity").asText()).isEqualTo("items");
        assertThat(batches.get(0).get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(batches.get(0).get("counts").get("unchanged").asLong()).isEqualTo(2);
        assertThat(batches.get(0).get("startedAt").asText()).endsWith("Z");
    }

    @Test
    void statusOfOneEntityOrOfAllBatches() throws IOException {
        shuttle("bridge", "run", "--db", db, "-f", file, "items");
        Result one = shuttle("bridge", "status", "--db", db, "-f", file, "items");
        assertThat(one.code()).isZero();
        assertThat(one.out()).contains("items -> item: 2 identities").contains("1 open dead letters");
        JsonNode status = shuttle("bridge", "status", "--db", db, "-f", file, "items", "--json")
                .json();
        assertThat(status.get("stateRows").asLong()).isEqualTo(2);
        assertThat(status.get("lastBatch").get("id").asLong()).isEqualTo(1);
        JsonNode all = shuttle("bridge", "status", "--db", db, "-f", file, "--json", "--limit", "5")
                .json();
        assertThat(all).hasSize(1);
    }

    @Test
    void deadLettersListShowRetryDiscard() throws IOException {
        shuttle("bridge", "run", "--db", db, "-f", file, "items");
        JsonNode letters = shuttle("bridge", "dlq", "list", "--db", db, "-f", file, "--json")
                .json();
        assertThat(letters).hasSize(1);
        long id = letters.get(0).get("id").asLong();
        assertThat(letters.get(0).get("stage").asText()).isEqualTo("VALIDATE");

        Result show = shuttle("bridge", "dlq", "show", String.valueOf(id), "--db", db, "-f", file, "--json");
        assertThat(show.code()).isZero();
        assertThat(show.json().get("raw").asText()).contains("\"id\":\"2\"");

        Result retry = shuttle("bridge", "dlq", "retry", String.valueOf(id), "--db", db, "-f", file, "--json");
        assertThat(retry.code()).isZero();
        assertThat(retry.json().get("failed").get(0).asLong())
                .as("still invalid")
                .isEqualTo(id);

        Result discard = shuttle("bridge", "dlq", "discard", String.valueOf(id), "--db", db, "-f", file);
        assertThat(discard.code()).isZero();
        assertThat(discard.out()).contains("discarded [" + id + "]");
        assertThat(shuttle("bridge", "dlq", "list", "--db", db, "-f", file, "--status", "open", "--json")
                        .json())
                .isEmpty();
    }

    @Test
    void schedulesListTriggerReset() throws IOException {
        JsonNode list = shuttle("bridge", "schedule", "list", "--db", db, "-f", file, "--json")
                .json();
        assertThat(list.get(0).get("window").asText()).isEqualTo("19:00-07:00");
        assertThat(list.get(0).get("zone").asText()).isEqualTo("Europe/Berlin");

        Result trigger = shuttle("bridge", "schedule", "trigger", "items", "--db", db, "-f", file);
        assertThat(trigger.code()).as(trigger.err()).isZero();
        assertThat(trigger.out()).startsWith("batch 1 items SUCCEEDED");

        Result reset = shuttle("bridge", "schedule", "reset", "items", "--db", db, "-f", file, "--json");
        assertThat(reset.code()).isZero();
        assertThat(reset.json().get("passOpen").asBoolean()).isFalse();
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        for (String[] args : new String[][] {
            {"bridge", "run", "-f", file},
            {"bridge", "dlq", "bogus", "--db", db, "-f", file},
            {"bridge", "dlq", "show", "--db", db, "-f", file},
            {"bridge", "schedule", "trigger", "--db", db, "-f", file},
            {"bridge", "run", "--db", db, "-f", dir.resolve("missing.yaml").toString()},
            {"bridge"}
        }) {
            Result r = shuttle(args);
            assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip()).startsWith("shuttle: ").doesNotContain("\n");
        }
    }

    @Test
    void failuresExitOneWithOneLine() throws SQLException {
        Result unknown = shuttle("bridge", "run", "--db", db, "-f", file, "nope");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err().strip())
                .isEqualTo("shuttle: no entity 'nope' in the pipeline definition (entities: items)");

        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE item");
        }
        Result failed = shuttle("bridge", "run", "--db", db, "-f", file, "items");
        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.err().strip())
                .startsWith("shuttle: batch 1 of items failed: target table 'item' does not exist")
                .doesNotContain("\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "run", "status", "dlq", "schedule"})
    void helpOnEveryCommand(String sub) {
        Result r = sub.isEmpty() ? shuttle("bridge", "--help") : shuttle("bridge", sub, "--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: shuttle bridge" + (sub.isEmpty() ? "" : " " + sub));
        if (!sub.isEmpty()) {
            assertThat(r.out()).contains("--db").contains("--json");
        }
    }
}
