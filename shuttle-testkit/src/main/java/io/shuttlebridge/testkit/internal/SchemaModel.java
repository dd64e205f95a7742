package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.schema.ApplyPlan;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A schema as discovered from a database: its tables parents first, each with its columns
 * (declared types), primary key and foreign keys, and for each table the foreign keys that refer
 * to it. This is all the workload knows of an application's schema.
 */
public final class SchemaModel {
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<String, List<ForeignKey>> referencing = new HashMap<>();
    private final Map<String, Integer> depth = new HashMap<>();

    private SchemaModel(List<Table> discovered) {
        Map<String, Table> byName = new HashMap<>();
        discovered.forEach(t -> byName.put(t.name(), t));
        for (String name : ApplyPlan.of(discovered).upsertOrder()) {
            tables.put(name, byName.get(name));
        }
        for (Table t : tables.values()) {
            for (ForeignKey fk : t.foreignKeys()) {
                referencing
                        .computeIfAbsent(fk.parentTable(), k -> new ArrayList<>())
                        .add(fk);
            }
            int d = 0;
            for (ForeignKey fk : t.foreignKeys()) {
                if (!fk.selfReferencing()) {
                    d = Math.max(d, depth.getOrDefault(fk.parentTable(), 0) + 1);
                }
            }
            depth.put(t.name(), d);
        }
    }

    /**
     * Runs {@code statements} on an empty in-memory SQLite database and discovers the tables they
     * make. Fails naming the statement that the database refused, or a table without a primary key.
     */
    public static SchemaModel discover(String source, List<DdlScript.Statement> statements) {
        try (ShuttleDatabase db = ShuttleDatabase.open("jdbc:sqlite::memory:")) {
            return db.read(c -> {
                create(c, source, statements);
                List<Table> found = new ArrayList<>();
                for (String name : Dialects.of(db).listTables(c)) {
                    Table t = Dialects.of(db).readTable(c, name);
                    if (!t.hasPrimaryKey()) {
                        throw new ShuttleException(
                                ErrorCode.UNSUPPORTED_SCHEMA,
                                "table \"" + name + "\" in " + source
                                        + " has no primary key: replicas identify a row by its primary key, so a"
                                        + " table without one cannot be synced; declare a PRIMARY KEY");
                    }
                    found.add(t);
                }
                if (found.isEmpty()) {
                    throw new ShuttleException(
                            ErrorCode.INVALID_ARGUMENT, source + " creates no table: give CREATE TABLE statements");
                }
                return new SchemaModel(found);
            });
        }
    }

    /** The named tables as they are in {@code db}. */
    public static SchemaModel read(ShuttleDatabase db, List<String> names) {
        return db.read(c -> {
            List<Table> found = new ArrayList<>();
            for (String name : names) {
                found.add(Dialects.of(db).readTable(c, name));
            }
            return new SchemaModel(found);
        });
    }

    /** Runs DDL statements one by one; a refused one fails naming it and where it comes from. */
    public static void create(Connection c, String source, List<DdlScript.Statement> statements) {
        for (int i = 0; i < statements.size(); i++) {
            DdlScript.Statement st = statements.get(i);
            try (Statement s = c.createStatement()) {
                s.execute(st.sql());
            } catch (SQLException e) {
                String where = st.line() > 0 ? "line " + st.line() : "statement " + (i + 1);
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        source + ", " + where + ": " + st.summary() + " failed: " + e.getMessage(),
                        e);
            }
        }
    }

    /** Table names, parents first. */
    public List<String> names() {
        return List.copyOf(tables.keySet());
    }

    /** Tables, parents first. */
    public List<Table> tables() {
        return List.copyOf(tables.values());
    }

    public Table table(String name) {
        return tables.get(name);
    }

    /** The foreign keys of any table (its own self-reference included) that refer to {@code parent}. */
    public List<ForeignKey> referencing(String parent) {
        return referencing.getOrDefault(parent, List.of());
    }

    /** How many foreign-key steps separate a table from a table without parents (self-references not counted). */
    public int depth(String table) {
        return depth.getOrDefault(table, 0);
    }
}
