package io.shuttlebridge.core.internal.format;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The engine's tables of a database as plain text, to compare one database with another: the shape
 * of every {@code _shuttle_} table (columns with type, nullability, collation, default and key place;
 * indexes) on SQLite, PostgreSQL or MariaDB and, apart, the capture code (triggers, functions). Tables another part makes when it
 * first needs them (the hub's leases and node bindings, a device's rejected writes and resync notes)
 * are left out.
 */
final class EngineTables {
    /** Made on first use, not by capture: not part of the format's shape. */
    static final Set<String> MADE_ELSEWHERE =
            Set.of("_shuttle_leases", "_shuttle_node_subjects", "_shuttle_rejected", "_shuttle_resync");

    private EngineTables() {}

    static List<String> shape(ShuttleDatabase db) {
        return db.read(c -> switch (db.product()) {
            case "sqlite" -> sqliteShape(c);
            case "mariadb" -> mariaDbShape(c);
            default -> postgresShape(c);
        });
    }

    static List<String> captureCode(ShuttleDatabase db) {
        if (db.product().equals("mariadb")) {
            return db.read(c -> lines(c, """
                    SELECT concat('trigger ', trigger_name, ' ', action_timing, ' ', event_manipulation, ' on ',
                        event_object_table, ': ', action_statement)
                      FROM information_schema.triggers
                      WHERE trigger_schema = database() AND trigger_name LIKE '\\_shuttle\\_%' ESCAPE '\\'
                      ORDER BY trigger_name"""));
        }
        return db.read(c -> db.product().equals("sqlite")
                ? lines(
                        c,
                        "SELECT type || ' ' || name || ': ' || sql FROM sqlite_schema WHERE type = 'trigger'"
                                + " AND name LIKE '\\_shuttle\\_%' ESCAPE '\\' ORDER BY name")
                : lines(c, """
                        SELECT 'trigger ' || t.tgname || ' on ' || r.relname || ': ' || pg_get_triggerdef(t.oid)
                          FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid
                          WHERE r.relnamespace = current_schema()::regnamespace AND t.tgname LIKE '\\_shuttle\\_%'
                        UNION ALL
                        SELECT 'function ' || p.proname || ': ' || pg_get_functiondef(p.oid) FROM pg_proc p
                          WHERE p.pronamespace = current_schema()::regnamespace AND p.proname LIKE '\\_shuttle\\_%'
                        ORDER BY 1"""));
    }

    /** The value of a key of {@code _shuttle_meta}, or null. */
    static String meta(ShuttleDatabase db, String key) {
        return db.read(c -> Jdbc.queryString(c, "SELECT value FROM _shuttle_meta WHERE key = ?", key)
                .orElse(null));
    }

    private static List<String> sqliteShape(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String line : lines(c, """
                SELECT m.name || ' ' || p.cid || ' ' || p.name || ' ' || upper(p.type) || ' notnull=' || p."notnull"
                    || ' pk=' || p.pk || ' default=' || coalesce(p.dflt_value, '-')
                  FROM sqlite_schema m, pragma_table_info(m.name) p
                  WHERE m.type = 'table' AND m.name LIKE '\\_shuttle\\_%' ESCAPE '\\'
                  ORDER BY m.name, p.cid""")) {
            keep(out, line);
        }
        for (String line : lines(c, """
                SELECT m.name || ' without rowid=' || t.wr FROM sqlite_schema m, pragma_table_list(m.name) t
                  WHERE m.type = 'table' AND m.name LIKE '\\_shuttle\\_%' ESCAPE '\\' ORDER BY m.name""")) {
            keep(out, line);
        }
        for (String line : lines(c, """
                SELECT m.name || ' index ' || i.name || ' unique=' || i."unique" || ' origin=' || i.origin
                    || ' (' || (SELECT group_concat(x.name, ',') FROM pragma_index_info(i.name) x) || ')'
                  FROM sqlite_schema m, pragma_index_list(m.name) i
                  WHERE m.type = 'table' AND m.name LIKE '\\_shuttle\\_%' ESCAPE '\\' ORDER BY m.name, i.name""")) {
            keep(out, line);
        }
        return out;
    }

    private static List<String> postgresShape(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String line : lines(c, """
                SELECT table_name || ' ' || ordinal_position || ' ' || column_name || ' ' || data_type
                    || ' nullable=' || is_nullable || ' collation=' || coalesce(collation_name, '-')
                    || ' default=' || coalesce(column_default, '-') || ' identity=' || is_identity
                  FROM information_schema.columns
                  WHERE table_schema = current_schema() AND table_name LIKE '\\_shuttle\\_%'
                  ORDER BY table_name, ordinal_position""")) {
            keep(out, line);
        }
        for (String line : lines(c, """
                SELECT tablename || ' index ' || indexname || ': ' || replace(indexdef, current_schema() || '.', '')
                  FROM pg_indexes WHERE schemaname = current_schema() AND tablename LIKE '\\_shuttle\\_%'
                  ORDER BY tablename, indexname""")) {
            keep(out, line);
        }
        return out;
    }

    private static List<String> mariaDbShape(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        for (String line : lines(c, """
                SELECT concat(table_name, ' ', ordinal_position, ' ', column_name, ' ', column_type,
                    ' nullable=', is_nullable, ' collation=', coalesce(collation_name, '-'),
                    ' default=', coalesce(column_default, '-'), ' extra=', extra)
                  FROM information_schema.columns
                  WHERE table_schema = database() AND table_name LIKE '\\_shuttle\\_%' ESCAPE '\\'
                  ORDER BY table_name, ordinal_position""")) {
            keep(out, line);
        }
        for (String line : lines(c, """
                SELECT concat(table_name, ' index ', index_name, ' unique=', 1 - non_unique, ' (',
                    group_concat(column_name ORDER BY seq_in_index), ')')
                  FROM information_schema.statistics
                  WHERE table_schema = database() AND table_name LIKE '\\_shuttle\\_%' ESCAPE '\\'
                  GROUP BY table_name, index_name, non_unique ORDER BY table_name, index_name""")) {
            keep(out, line);
        }
        return out;
    }

    private static void keep(List<String> out, String line) {
        String table = line.substring(0, line.indexOf(' '));
        if (!MADE_ELSEWHERE.contains(table)) {
            out.add(line);
        }
    }

    static List<String> lines(Connection c, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }
}
