package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.testkit.internal.DdlScript;
import io.shuttlebridge.testkit.internal.DdlScript.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class DdlScriptTest {
    @Test
    void statementsEndAtSemicolonsOutsideQuotesCommentsAndTriggerBodies() {
        String script = """
                -- a comment; not a statement
                CREATE TABLE "a;b" (id INTEGER PRIMARY KEY, v TEXT DEFAULT 'x;y');
                /* a block;
                   comment */ CREATE TABLE [c;d] (id TEXT PRIMARY KEY);

                CREATE TRIGGER t AFTER INSERT ON "a;b" BEGIN
                  UPDATE "a;b" SET v = CASE WHEN v = 'it''s;' THEN 'a' ELSE 'b' END WHERE id = NEW.id;
                  DELETE FROM [c;d];
                END;
                CREATE INDEX i ON "a;b" (v)
                """;
        List<Statement> statements = DdlScript.split(script);
        assertThat(statements).extracting(Statement::line).containsExactly(2, 4, 6, 10);
        assertThat(statements)
                .extracting(Statement::summary)
                .containsExactly(
                        "CREATE TABLE \"a;b\" (id INTEGER PRIMARY KEY, v TEXT DEFAULT 'x;y')",
                        "CREATE TABLE [c;d] (id TEXT PRIMARY KEY)",
                        "CREATE TRIGGER t AFTER INSERT ON \"a;b\" BEGIN UPDATE \"a;b\" SET v = CASE WHEN v = 'it''s;' THEN 'a'...",
                        "CREATE INDEX i ON \"a;b\" (v)");
        assertThat(statements.get(2).sql()).endsWith("DELETE FROM [c;d];\nEND");
    }

    @Test
    void emptyStatementsAndTrailingCommentsAreDropped() {
        assertThat(DdlScript.split(";;\n  ; -- nothing\n")).isEmpty();
    }
}
