package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's contract: --help and --version, exit codes 0/1/2, one-line errors, init and demo. */
class CliBasicsTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void helpAndVersionOnEveryCommand() {
        assertThat(run("--version").out()).contains("shuttle ");
        for (String[] cmd : new String[][] {
            {},
            {"init"},
            {"demo"},
            {"simulate"},
            {"bench"},
            {"bench", "capture"},
            {"bench", "apply"},
            {"bench", "load"},
            {"bench", "pull"},
            {"bridge"},
            {"status"},
            {"conflicts"},
            {"conflicts", "list"},
            {"conflicts", "show"},
            {"conflicts", "resolve"},
            {"bundle"},
            {"bundle", "export"},
            {"bundle", "import"},
            {"serve"},
            {"clone"},
            {"sync"},
            {"node"},
            {"node", "lease"},
            {"node", "show"},
            {"node", "reset"},
            {"backup"},
            {"schema"},
            {"schema", "check"},
            {"schema", "apply"}
        }) {
            String[] args = Arrays.copyOf(cmd, cmd.length + 1);
            args[cmd.length] = "--help";
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args)).isZero();
            assertThat(r.out()).as(String.join(" ", args)).contains("Usage:");
        }
    }

    /**
     * Every command's help, down the whole tree, renders as written: picocli formats descriptions, and a bare
     * percent sign ("10% of") makes it print a warning and the raw text instead.
     */
    @Test
    void everyCommandsHelpRendersWithoutFormatWarnings() {
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream warnings = new java.io.ByteArrayOutputStream();
        java.util.List<String> rendered = new java.util.ArrayList<>();
        System.setErr(new java.io.PrintStream(warnings, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            java.util.ArrayDeque<picocli.CommandLine> todo = new java.util.ArrayDeque<>();
            todo.add(Main.commandLine());
            while (!todo.isEmpty()) {
                picocli.CommandLine c = todo.poll();
                rendered.add(c.getCommandSpec().qualifiedName());
                assertThat(c.getUsageMessage())
                        .as(c.getCommandSpec().qualifiedName())
                        .contains("Usage:");
                todo.addAll(c.getSubcommands().values());
            }
        } finally {
            System.setErr(stderr);
        }
        assertThat(rendered).contains("shuttle bench bootstrap", "shuttle rules check");
        assertThat(warnings.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }

    @Test
    void usageErrorsExitTwoWithOneLine() {
        Run unknown = run("frobnicate");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err().strip().lines()).hasSize(1);
        Run missing = run("init");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("--db");
        Run policy = run("init", "--db", dir.resolve("x.db").toString(), "--policy", "sometimes");
        assertThat(policy.code()).isIn(1, 2);
        assertThat(policy.err().strip().lines()).hasSize(1);
    }

    @Test
    void initEnablesAndRemovesAndFailsClearlyOnAMissingFile() throws Exception {
        Path db = dir.resolve("app.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
            s.execute("INSERT INTO item VALUES (1, 'a'), (2, 'b')");
        }
        Run init = run("init", "--db", db.toString(), "--json");
        assertThat(init.code()).isZero();
        assertThat(init.out()).contains("\"backfilled\":{\"item\":2}");
        Run policy = run("init", "--db", db.toString(), "--policy", "sometimes");
        assertThat(policy.code()).isEqualTo(2);
        assertThat(policy.err()).contains("unknown conflict policy 'sometimes'");
        Run remove = run("init", "--db", db.toString(), "--remove");
        assertThat(remove.code()).isZero();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_schema WHERE name LIKE '%shuttle%'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        Run missing = run("init", "--db", dir.resolve("nope.db").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("shuttle: no database file at");
    }

    @Test
    void statusAndConflictsOnTheDemoDevices() throws Exception {
        Run demo = run("demo", "--keep");
        assertThat(demo.code()).isZero();
        String kept = demo.out()
                .lines()
                .filter(l -> l.startsWith("kept: "))
                .findFirst()
                .orElseThrow();
        Path folder = Path.of(kept.substring("kept: ".length(), kept.indexOf(" (hub.db")));
        String deviceB = folder.resolve("device-b.db").toString();

        Run status = run("status", "--db", deviceB, "--json");
        assertThat(status.code()).as(status.err()).isZero();
        var doc = new ObjectMapper().readTree(status.out());
        assertThat(doc.get("openConflicts").asInt()).isZero();
        assertThat(doc.get("peers")).hasSize(1);
        assertThat(doc.get("tables").toString()).contains("\"customers\"").contains("MANUAL");

        Run list = run("conflicts", "list", "--db", deviceB, "--all", "--json");
        var conflicts = new ObjectMapper().readTree(list.out());
        assertThat(conflicts).hasSize(1);
        assertThat(conflicts.get(0).get("resolution").asText()).isEqualTo("took local");
        assertThat(conflicts.get(0).get("local").get("values").get("email").asText())
                .isEqualTo("ada@home.example");
        assertThat(run("conflicts", "show", "--db", deviceB, "1").out()).contains("* email");
        assertThat(run("conflicts", "show", "--db", deviceB, "99").code()).isEqualTo(1);
        assertThat(run("conflicts", "resolve", "--db", deviceB, "1").code()).isEqualTo(2);
        assertThat(run("conflicts", "resolve", "--db", deviceB, "1", "--take", "sideways")
                        .code())
                .isEqualTo(2);
    }

    @Test
    void demoConverges() {
        Run demo = run("demo");
        assertThat(demo.code()).as(demo.err()).isZero();
        assertThat(demo.out())
                .contains("conflict 1 on customers[1]")
                .contains("converged: hub, device A and device B hold the same rows")
                .contains("cancelled");
    }
}
