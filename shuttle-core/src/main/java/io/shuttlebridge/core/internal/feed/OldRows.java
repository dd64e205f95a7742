package io.shuttlebridge.core.internal.feed;

import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The old-row images of a table's deleted rows, kept for sync rules (DESIGN §9) so that a delete goes
 * only to the subjects that could read the row: a table {@code _shuttle_old_<id>} holding, per deleted
 * row's feed key ({@code _shuttle_pk}), the values of the columns the table's read predicate mentions,
 * as the row had them when it was deleted (or when its key changed), written by triggers on the table
 * that fire for every delete, whether captured or applied from a device (like PostgreSQL's {@code
 * REPLICA IDENTITY FULL}, limited to the columns a rule reads). A tombstone is readable by a subject
 * when its image satisfies the subject's read condition, evaluated by the database as the table's own
 * condition is ({@code SELECT ... FROM (image) AS table WHERE condition}); a tombstone without an image
 * (deleted before the images were kept) is readable by no one. Images are dropped with their
 * tombstones ({@link #forgetStale}).
 */
public final class OldRows {
    /** The image table's key column: the deleted row's feed key. */
    public static final String KEY = "_shuttle_pk";

    /** Seqs looked up per statement. */
    private static final int CHUNK = 1000;

    private OldRows() {}

    /** The name of the image table of {@code t}. */
    public static String table(SyncedTable t) {
        return "_shuttle_old_" + t.id();
    }

    /**
     * The columns the image table of {@code t} holds besides its key, in the order of the table's
     * columns, or null when it does not exist.
     */
    public static List<String> columns(Connection c, SyncedTable t) throws SQLException {
        // in a transaction, a failed statement must not end it (PostgreSQL would refuse all that follows)
        Savepoint before = c.getAutoCommit() ? null : c.setSavepoint();
        try (PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table(t) + " WHERE 1 = 0");
                ResultSet rs = ps.executeQuery()) {
            List<String> out = new ArrayList<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String name = rs.getMetaData().getColumnName(i);
                if (!name.equalsIgnoreCase(KEY)) {
                    out.add(name);
                }
            }
            if (before != null) {
                c.releaseSavepoint(before);
            }
            return out;
        } catch (SQLException e) {
            if (before != null) {
                c.rollback(before);
            }
            return null;
        }
    }

    /**
     * Statements that (re)create the image table of {@code t} with {@code columns} (dropping an older one
     * first when {@code replace}), then its triggers: one after a delete, one after an update that
     * changes the key (the old key's tombstone).
     */
    public static List<String> install(Dialect d, SyncedTable t, List<String> columns, boolean replace) {
        String img = table(t);
        String source = d.quote(t.name());
        List<String> sql = new ArrayList<>();
        sql.addAll(dropTriggers(d, t));
        if (replace) {
            sql.add("DROP TABLE IF EXISTS " + img);
        }
        String cols = columns.stream().map(col -> ", t." + d.quote(col)).collect(Collectors.joining());
        // the key column takes the feed key's type (and collation), the others the table's
        sql.add("CREATE TABLE IF NOT EXISTS " + img + " AS SELECT f.pk AS " + KEY + cols
                + " FROM _shuttle_feed f CROSS JOIN " + source + " t WHERE 1 = 0");
        sql.add("CREATE UNIQUE INDEX IF NOT EXISTS " + d.quote(img + "_pk") + " ON " + img + " (" + KEY + ")");
        String oldKey = d.capture().keyExpression(t, "OLD");
        String keep = "DELETE FROM " + img + " WHERE " + KEY + " = " + oldKey + "; INSERT INTO " + img + " (" + KEY
                + columns.stream().map(col -> ", " + d.quote(col)).collect(Collectors.joining()) + ") VALUES ("
                + oldKey + columns.stream().map(col -> ", OLD." + d.quote(col)).collect(Collectors.joining())
                + ");";
        switch (d.name()) {
            case "postgresql" -> {
                String keyChanged = t.key().stream()
                        .map(k -> "OLD." + d.quote(k) + " IS DISTINCT FROM NEW." + d.quote(k))
                        .collect(Collectors.joining(" OR "));
                sql.add("CREATE OR REPLACE FUNCTION " + function(t)
                        + "() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $shuttle_old$\nBEGIN\n  "
                        + keep + "\n  RETURN NULL;\nEND\n$shuttle_old$");
                sql.add("CREATE TRIGGER \"_shuttle_old_d\" AFTER DELETE ON " + source
                        + " FOR EACH ROW EXECUTE FUNCTION " + function(t) + "()");
                sql.add("CREATE TRIGGER \"_shuttle_old_k\" AFTER UPDATE ON " + source + " FOR EACH ROW WHEN ("
                        + keyChanged + ") EXECUTE FUNCTION " + function(t) + "()");
            }
            case "sqlite" -> {
                String keyChanged = t.key().stream()
                        .map(k -> "OLD." + d.quote(k) + " IS NOT NEW." + d.quote(k))
                        .collect(Collectors.joining(" OR "));
                sql.add("CREATE TRIGGER " + trigger(d, t, "d") + " AFTER DELETE ON " + source + " BEGIN " + keep
                        + " END");
                sql.add("CREATE TRIGGER " + trigger(d, t, "k") + " AFTER UPDATE OF "
                        + t.key().stream().map(d::quote).collect(Collectors.joining(", ")) + " ON " + source
                        + " WHEN (" + keyChanged + ") BEGIN " + keep + " END");
            }
            case "mariadb" -> {
                String keyChanged = t.key().stream()
                        .map(k -> "NOT (BINARY OLD." + d.quote(k) + " <=> BINARY NEW." + d.quote(k) + ")")
                        .collect(Collectors.joining(" OR "));
                sql.add("CREATE TRIGGER " + trigger(d, t, "d") + " AFTER DELETE ON " + source + " FOR EACH ROW BEGIN "
                        + keep + " END");
                sql.add("CREATE TRIGGER " + trigger(d, t, "k") + " AFTER UPDATE ON " + source
                        + " FOR EACH ROW BEGIN IF " + keyChanged + " THEN " + keep + " END IF; END");
            }
            default -> throw new IllegalArgumentException("no old-row images on " + d.name());
        }
        return sql;
    }

    /** Statements that drop the image triggers of {@code t} (its images stay until {@link #forgetStale}). */
    public static List<String> dropTriggers(Dialect d, SyncedTable t) {
        return switch (d.name()) {
            case "postgresql" ->
                List.of(
                        "DROP TRIGGER IF EXISTS \"_shuttle_old_d\" ON " + d.quote(t.name()),
                        "DROP TRIGGER IF EXISTS \"_shuttle_old_k\" ON " + d.quote(t.name()));
            default ->
                List.of("DROP TRIGGER IF EXISTS " + trigger(d, t, "d"), "DROP TRIGGER IF EXISTS " + trigger(d, t, "k"));
        };
    }

    private static String function(SyncedTable t) {
        return "\"_shuttle_old_" + t.id() + "\"";
    }

    private static String trigger(Dialect d, SyncedTable t, String kind) {
        return d.quote("_shuttle_old_" + t.id() + "_" + kind);
    }

    /**
     * The condition on feed entries {@code feedAlias} of {@code t} that holds for its tombstones whose image
     * satisfies {@code conditionSql} (over the table's columns; its arguments are the caller's to bind).
     */
    public static String readableDelete(Dialect d, SyncedTable t, String feedAlias, String conditionSql) {
        return "(" + feedAlias + ".op = " + Op.DELETE.code() + " AND " + feedAlias + ".pk IN (SELECT " + KEY
                + " FROM (SELECT * FROM " + table(t) + ") " + d.quote(t.name()) + " WHERE (" + conditionSql + ")))";
    }

    /**
     * Of the tombstones of {@code t} at {@code seqs}, those whose image satisfies {@code condition}: the
     * seqs of the deletes a subject whose rows of {@code t} are those may be told of.
     */
    public static Set<Long> readable(Connection c, Dialect d, SyncedTable t, RowCondition condition, List<Long> seqs)
            throws SQLException {
        Set<Long> out = new HashSet<>();
        if (condition.all()) {
            out.addAll(seqs);
            return out;
        }
        for (int from = 0; from < seqs.size(); from += CHUNK) {
            String list = seqs.subList(from, Math.min(seqs.size(), from + CHUNK)).stream()
                    .map(String::valueOf)
                    .collect(Collectors.joining(", "));
            // the images of these tombstones only, the condition evaluated over them as over the table
            String sql = "SELECT f.seq FROM _shuttle_feed f WHERE f.tbl = " + t.id() + " AND f.op = "
                    + Op.DELETE.code() + " AND f.seq IN (" + list + ") AND f.pk IN (SELECT " + KEY
                    + " FROM (SELECT * FROM " + table(t) + " WHERE " + KEY
                    + " IN (SELECT g.pk FROM _shuttle_feed g WHERE g.tbl = " + t.id() + " AND g.seq IN (" + list
                    + "))) " + d.quote(t.name()) + " WHERE (" + condition.sql() + "))";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                Jdbc.bind(ps, condition.args().toArray());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
            }
        }
        return out;
    }

    private static final String META = "old_rows";

    /** Notes the tables that have image tables, for {@link #held} (in {@code _shuttle_meta}). */
    public static void remember(Connection c, List<SyncedTable> tables) throws SQLException {
        MetaKeys.put(c, META, tables.stream().map(t -> String.valueOf(t.id())).collect(Collectors.joining(",")));
    }

    /** The ids of the tables whose image tables {@link #remember} noted. */
    public static List<Integer> held(Connection c) throws SQLException {
        return MetaKeys.get(c, META)
                .filter(v -> !v.isEmpty())
                .map(v -> java.util.Arrays.stream(v.split(","))
                        .map(Integer::valueOf)
                        .toList())
                .orElse(List.of());
    }

    /** Drops the images of {@code t} whose row has no tombstone in the feed any more (purged, or written again). */
    public static int forgetStale(Connection c, SyncedTable t) throws SQLException {
        return Jdbc.update(
                c,
                "DELETE FROM " + table(t) + " WHERE NOT EXISTS (SELECT 1 FROM _shuttle_feed f WHERE f.tbl = " + t.id()
                        + " AND f.pk = " + table(t) + "." + KEY + " AND f.op = " + Op.DELETE.code() + ")");
    }
}
