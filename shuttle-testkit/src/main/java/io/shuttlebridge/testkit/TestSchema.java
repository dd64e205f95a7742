package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.testkit.internal.DdlScript;
import io.shuttlebridge.testkit.internal.SchemaModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tables a test cluster or a simulation creates on every replica: an application's DDL for
 * SQLite (CREATE TABLE statements, given as text or as a {@code .sql} file), checked when made:
 * every statement must run on an empty SQLite database and every table must have a primary key.
 * A hub on PostgreSQL runs the same statements unless {@link #onPostgres} gives its own.
 *
 * <pre>{@code
 * TestSchema schema = TestSchema.of("""
 *     CREATE TABLE note (id TEXT PRIMARY KEY, body TEXT);
 *     CREATE TABLE tag (note_id TEXT REFERENCES note(id), name TEXT, PRIMARY KEY (note_id, name));
 *     """);
 * }</pre>
 */
public final class TestSchema {
    private static final List<String> ORDERS_TABLES = List.of("customer", "orders", "order_line");
    private static final List<String> ORDERS_DDL = List.of(
            "CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT, city TEXT, referred_by INTEGER REFERENCES customer(id))",
            "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer(id), total INTEGER, note TEXT)",
            "CREATE TABLE order_line (id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES orders(id), sku TEXT, qty INTEGER)");

    private final String source;
    private final List<DdlScript.Statement> statements;
    private final List<DdlScript.Statement> postgres;
    private final List<String> tables;

    private TestSchema(String source, List<DdlScript.Statement> statements, List<DdlScript.Statement> postgres) {
        this.source = source;
        this.statements = List.copyOf(statements);
        this.postgres = List.copyOf(postgres);
        this.tables = SchemaModel.discover(source, this.statements).names();
    }

    /** Statements for SQLite; each argument may hold several, separated by semicolons. */
    public static TestSchema of(String... sql) {
        return new TestSchema("the schema", split(sql), List.of());
    }

    /** The statements of a {@code .sql} file for SQLite (CREATE TABLE, CREATE INDEX, ...). */
    public static TestSchema fromFile(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            return new TestSchema(file.getFileName().toString(), DdlScript.split(text), List.of());
        } catch (NoSuchFileException e) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "schema file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "cannot read schema file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The simulator's own schema: {@code customer} (referring to itself), {@code orders} referring
     * to customers and {@code order_line} referring to orders; {@code tables} keeps the first 1, 2
     * or 3. On PostgreSQL its integers are {@code BIGINT}, 64 bits like SQLite's.
     */
    public static TestSchema customersAndOrders(int tables) {
        if (tables < 1 || tables > ORDERS_DDL.size()) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "tables must be 1, 2 or 3, got " + tables);
        }
        List<String> sqlite = ORDERS_DDL.subList(0, tables);
        List<String> pg =
                sqlite.stream().map(s -> s.replace(" INTEGER", " BIGINT")).toList();
        return new TestSchema(
                "customers and orders (" + String.join(", ", ORDERS_TABLES.subList(0, tables)) + ")",
                numbered(sqlite),
                numbered(pg));
    }

    /** The same tables with their own statements for a hub on PostgreSQL (where the SQLite ones do not run as they are). */
    public TestSchema onPostgres(String... sql) {
        return new TestSchema(source, statements, split(sql));
    }

    /** Where the statements come from (a file name, or a description). */
    public String source() {
        return source;
    }

    /** The tables the statements make, parents before children. */
    public List<String> tables() {
        return tables;
    }

    /** The statements for SQLite. */
    public List<String> statements() {
        return statements.stream().map(DdlScript.Statement::sql).toList();
    }

    /** The statements for a hub on PostgreSQL. */
    public List<String> postgresStatements() {
        return (postgres.isEmpty() ? statements : postgres)
                .stream().map(DdlScript.Statement::sql).toList();
    }

    @Override
    public String toString() {
        return source + " " + tables;
    }

    private static List<DdlScript.Statement> split(String... sql) {
        List<DdlScript.Statement> out = new ArrayList<>();
        for (String s : sql) {
            out.addAll(DdlScript.split(s).stream()
                    .map(st -> new DdlScript.Statement(0, st.sql()))
                    .toList());
        }
        return out;
    }

    private static List<DdlScript.Statement> numbered(List<String> sql) {
        return sql.stream().map(s -> new DdlScript.Statement(0, s)).toList();
    }
}
