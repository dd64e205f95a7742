package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** shuttle rules check: what a subject would read and may write, and a bad rule named by its line. */
class RulesCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsWhatASubjectWouldHoldAndNamesTheLineOfAMistake() throws Exception {
        Path hub = dir.resolve("hub.db");
        ShuttleJar.sql(
                hub,
                "CREATE TABLE project (id INTEGER PRIMARY KEY, name TEXT NOT NULL)",
                "CREATE TABLE project_member (project_id INTEGER NOT NULL REFERENCES project(id), user_id TEXT NOT NULL,"
                        + " role TEXT NOT NULL, PRIMARY KEY (project_id, user_id))",
                "CREATE TABLE task (id INTEGER PRIMARY KEY, project_id INTEGER NOT NULL REFERENCES project(id), title TEXT)",
                "INSERT INTO project VALUES (1, 'north'), (2, 'south')",
                "INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner'), (2, 'alice', 'member')",
                "INSERT INTO task VALUES (10, 1, 'a'), (11, 1, 'b'), (20, 2, 'c')");
        assertThat(run("init", "--db", hub.toString())[0]).isEqualTo("0");
        Path rules = dir.resolve("rules.yaml");
        Files.writeString(rules, """
                version: 1
                tables:
                  project:
                    read:  "id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
                    write: "id IN (SELECT project_id FROM project_member WHERE user_id = :sub AND role = 'owner')"
                  task:
                    read:  "project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
                    write: read
                """);
        String[] alice = run(
                "rules",
                "check",
                "--db",
                hub.toString(),
                "--rules",
                rules.toString(),
                "--sub",
                "alice",
                "--row",
                "project=2",
                "--json");
        assertThat(alice[0]).as(alice[2]).isEqualTo("0");
        assertThat(alice[1])
                .contains("{\"table\":\"project\",\"readable\":2,\"rows\":2,\"write\":\"by rule\"")
                .contains("{\"table\":\"task\",\"readable\":3,\"rows\":3")
                .contains("{\"table\":\"project_member\",\"readable\":0,\"rows\":3,\"write\":\"none\"")
                .contains("{\"row\":\"project=2\",\"exists\":true,\"readable\":true,\"writable\":false}");
        String[] bob = run("rules", "check", "--db", hub.toString(), "--rules", rules.toString(), "--sub", "bob");
        assertThat(bob[1]).containsPattern("task\\s+1\\s+3\\s+by rule");

        Files.writeString(rules, Files.readString(rules).replace("write: read", "write: \"titel = 'x'\""));
        String[] bad = run("rules", "check", "--db", hub.toString(), "--rules", rules.toString(), "--sub", "bob");
        assertThat(bad[0]).isEqualTo("2");
        assertThat(bad[2])
                .contains("rules.yaml:8: the rule of 'task' is not a condition")
                .contains("titel");
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void simulateUnderRulesChecksWhatEachSubjectHolds() throws Exception {
        Path rules = dir.resolve("rules.yaml");
        java.nio.file.Files.writeString(rules, io.shuttlebridge.testkit.RulesSimulation.PROJECT_RULES);
        CliBasicsTest.Run r = CliBasicsTest.run(
                "simulate", "--rules", rules.toString(), "--replicas", "4", "--ops", "40", "--seed", "11");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.out())
                .contains("devices signed in as 2 subject(s)")
                .contains("check read rules: every device holds exactly the hub rows its subject may read")
                .contains("refused by the hub's rules")
                .contains("PASS (seed 11");

        CliBasicsTest.Run both = CliBasicsTest.run("simulate", "--rules", rules.toString(), "--tables", "2");
        assertThat(both.code()).isNotZero();
        assertThat(both.err()).contains("not on --tables");
    }
}
