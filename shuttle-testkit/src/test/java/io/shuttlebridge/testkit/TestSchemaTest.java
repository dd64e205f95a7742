package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestSchemaTest {
    @TempDir
    Path dir;

    @Test
    void tablesComeParentsFirst() {
        TestSchema s = TestSchema.of(
                "CREATE TABLE line (id INTEGER PRIMARY KEY, invoice INTEGER REFERENCES invoice(id))",
                "CREATE TABLE invoice (id INTEGER PRIMARY KEY, customer TEXT REFERENCES customer(code));"
                        + " CREATE TABLE customer (code TEXT PRIMARY KEY)");
        assertThat(s.tables()).containsExactly("customer", "invoice", "line");
        assertThat(s.statements()).hasSize(3);
        assertThat(s.postgresStatements()).isEqualTo(s.statements());
    }

    @Test
    void theBuiltInSchemaHasItsOwnPostgresStatements() {
        TestSchema s = TestSchema.customersAndOrders(3);
        assertThat(s.tables()).containsExactly("customer", "orders", "order_line");
        assertThat(s.postgresStatements().get(1)).contains("customer_id BIGINT NOT NULL");
        assertThatThrownBy(() -> TestSchema.customersAndOrders(4)).hasMessage("tables must be 1, 2 or 3, got 4");
    }

    @Test
    void aRefusedStatementIsNamedWithItsLine() throws Exception {
        Path file = dir.resolve("app.sql");
        Files.writeString(file, """
                CREATE TABLE a (id INTEGER PRIMARY KEY);

                CREATE TABLE b (id INTEGER PRIMARY KEY REFERENCES a(id),
                                x TEXT,,);
                """);
        assertThatThrownBy(() -> TestSchema.fromFile(file))
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith(
                        "app.sql, line 3: CREATE TABLE b (id INTEGER PRIMARY KEY REFERENCES a(id), x TEXT,,) failed: ")
                .hasMessageContaining("syntax error");
        assertThatThrownBy(() -> TestSchema.of("CREATE TABLE a (id INTEGER PRIMARY KEY)", "CREATE TABEL b (id)"))
                .hasMessageStartingWith("the schema, statement 2: CREATE TABEL b (id) failed: ");
    }

    @Test
    void aTableWithoutPrimaryKeyOrNoTableAtAllIsRefused() {
        assertThatThrownBy(() -> TestSchema.of("CREATE TABLE a (id INTEGER PRIMARY KEY); CREATE TABLE log (line TEXT)"))
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED_SCHEMA))
                .hasMessageStartingWith("table \"log\" in the schema has no primary key");
        assertThatThrownBy(() -> TestSchema.of("-- nothing here"))
                .hasMessage("the schema creates no table: give CREATE TABLE statements");
        assertThatThrownBy(() -> TestSchema.fromFile(dir.resolve("missing.sql")))
                .hasMessageEndingWith("missing.sql does not exist");
    }
}
