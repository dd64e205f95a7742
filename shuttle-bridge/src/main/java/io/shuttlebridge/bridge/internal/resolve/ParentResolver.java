package io.shuttlebridge.bridge.internal.resolve;

import io.shuttlebridge.bridge.internal.store.RowCodec;
import io.shuttlebridge.bridge.internal.target.TargetTable;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.schema.Column;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The resolve stage's check: does every row's parent exist in the target? Uses the target table's
 * foreign keys (whose columns are all mapped), one batched query per foreign key and chunk, and a
 * bounded cache per parent table of parent keys already found. Rows of a self-referencing table may
 * have their parent in the same chunk; {@link #parentFirst(List)} orders them so parents are written first.
 */
public final class ParentResolver {
    private static final int QUERY_WIDTH = 200;
    private static final int CACHE_SIZE = 50_000;

    /**
     * A parent that is not there.
     *
     * @param cycle whether the parent is in the chunk, but in a cycle of new rows through a foreign key that
     *     cannot be deferred
     */
    public record Missing(TargetTable.ForeignKey fk, Object[] values, boolean cycle) {
        public String parentKeyJson() {
            return RowCodec.encodeArray(values);
        }

        /** Why the row waits. */
        public String reason() {
            return cycle
                    ? "parent " + describe() + " is new too, and the new rows reference each other through "
                            + fk.describe() + ", which the target checks at once: declare it DEFERRABLE"
                    : "parent " + describe() + " not found";
        }

        public String describe() {
            StringBuilder s = new StringBuilder(fk.parentTable()).append('(');
            for (int i = 0; i < values.length; i++) {
                s.append(i == 0 ? "" : ", ")
                        .append(fk.parentColumns().get(i))
                        .append('=')
                        .append(values[i]);
            }
            return s.append(')').toString();
        }
    }

    private final Connection c;
    private final Dialect dialect;
    private final TargetTable table;
    private final List<TargetTable.ForeignKey> fks = new ArrayList<>();
    private final List<int[]> fkColumns = new ArrayList<>();
    /** The table's own columns of each foreign key: a parent key is bound as the value it is stored as here. */
    private final List<Column[]> fkTypes = new ArrayList<>();
    /** For self-referencing foreign keys: the row's own columns that the key references, else null. */
    private final List<int[]> ownColumns = new ArrayList<>();

    /** Per foreign key: whether the target checks it at commit once {@link Dialect#deferConstraintsStatement} ran. */
    private final boolean[] deferrable;

    private final Map<String, Map<String, Boolean>> known = new HashMap<>();

    public ParentResolver(Connection c, Dialect dialect, TargetTable table, List<String> columns) {
        this.c = c;
        this.dialect = dialect;
        this.table = table;
        for (TargetTable.ForeignKey fk : table.foreignKeys()) {
            int[] idx =
                    fk.columns().stream().mapToInt(col -> indexOf(columns, col)).toArray();
            if (Arrays.stream(idx).allMatch(i -> i >= 0)) {
                fks.add(fk);
                fkColumns.add(idx);
                fkTypes.add(table.columns(fk.columns()));
                int[] own = fk.parentColumns().stream()
                        .mapToInt(col -> indexOf(columns, col))
                        .toArray();
                boolean self = fk.parentTable().equalsIgnoreCase(table.name())
                        && Arrays.stream(own).allMatch(i -> i >= 0);
                ownColumns.add(self ? own : null);
            }
        }
        deferrable = new boolean[fks.size()];
        for (int f = 0; f < deferrable.length; f++) {
            deferrable[f] = dialect.supportsDeferredConstraints()
                    && (dialect.defersEveryForeignKey() || fks.get(f).declaredDeferrable());
        }
    }

    public boolean hasParents() {
        return !fks.isEmpty();
    }

    /**
     * Whether some foreign key is checked at commit once the transaction ran {@link
     * Dialect#deferConstraintsStatement} (on SQLite every one, on PostgreSQL those declared DEFERRABLE).
     */
    public boolean deferrable() {
        for (boolean d : deferrable) {
            if (d) {
                return true;
            }
        }
        return false;
    }

    public boolean selfReferencing() {
        return ownColumns.stream().anyMatch(o -> o != null);
    }

    /**
     * For each row, null when all its parents exist (in the target or among {@code rows}), else the first
     * missing one. {@code newRows} marks the rows to be inserted (the others are stored already).
     */
    public List<Missing> check(List<Object[]> rows, boolean[] newRows) {
        Missing[] out = new Missing[rows.size()];
        for (int f = 0; f < fks.size(); f++) {
            TargetTable.ForeignKey fk = fks.get(f);
            int[] idx = fkColumns.get(f);
            Set<String> inChunk = ownColumns.get(f) == null ? Set.of() : keys(rows, ownColumns.get(f));
            Map<String, Boolean> cache = cache(fk.parentTable());
            String[] keys = new String[rows.size()];
            Map<String, Object[]> unknown = new LinkedHashMap<>();
            for (int r = 0; r < keys.length; r++) {
                Object[] values = values(rows.get(r), idx);
                if (values != null) {
                    keys[r] = key(values);
                    if (!cache.containsKey(keys[r]) && !inChunk.contains(keys[r])) {
                        unknown.put(keys[r], values);
                    }
                }
            }
            lookup(f, unknown);
            for (int r = 0; r < keys.length; r++) {
                if (keys[r] != null && out[r] == null && !inChunk.contains(keys[r]) && !cache.containsKey(keys[r])) {
                    out[r] = new Missing(fk, values(rows.get(r), idx), false);
                }
            }
        }
        if (selfReferencing()) {
            waitInCycles(rows, newRows, out);
            waitWithMissingParents(rows, out);
        }
        return Arrays.asList(out);
    }

    /** New rows in a cycle through a foreign key that the target cannot defer wait (they cannot be inserted). */
    private void waitInCycles(List<Object[]> rows, boolean[] newRows, Missing[] out) {
        for (int f = 0; f < fks.size(); f++) {
            if (ownColumns.get(f) == null || deferrable[f]) {
                continue;
            }
            int[] parent = ChunkParents.parentIndex(rows, ownColumns.get(f), fkColumns.get(f));
            boolean[] cycle = ChunkParents.newCycles(parent, newRows);
            for (int r = 0; r < out.length; r++) {
                if (cycle[r] && out[r] == null) {
                    out[r] = new Missing(fks.get(f), values(rows.get(r), fkColumns.get(f)), true);
                }
            }
        }
    }

    /** A row whose parent is in the chunk but waits itself has to wait too (repeated down the chain). */
    private void waitWithMissingParents(List<Object[]> rows, Missing[] out) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int f = 0; f < fks.size(); f++) {
                int[] own = ownColumns.get(f);
                if (own == null) {
                    continue;
                }
                Set<String> waiting = new HashSet<>();
                for (int r = 0; r < out.length; r++) {
                    Object[] v = out[r] == null ? null : values(rows.get(r), own);
                    if (v != null) {
                        waiting.add(key(v));
                    }
                }
                if (waiting.isEmpty()) {
                    continue;
                }
                Map<String, Boolean> cache = cache(fks.get(f).parentTable());
                for (int r = 0; r < out.length; r++) {
                    Object[] v = out[r] == null ? values(rows.get(r), fkColumns.get(f)) : null;
                    if (v != null && waiting.contains(key(v)) && !cache.containsKey(key(v))) {
                        out[r] = new Missing(fks.get(f), v, false);
                        changed = true;
                    }
                }
            }
        }
    }

    /**
     * The order in which to write rows so that a row whose parent (by a self-referencing foreign key) is
     * among them comes after that parent; otherwise the given order is kept. Cycles keep their given order.
     */
    public int[] parentFirst(List<Object[]> rows) {
        List<int[]> parents = new ArrayList<>();
        for (int f = 0; f < fks.size(); f++) {
            if (ownColumns.get(f) != null) {
                parents.add(ChunkParents.parentIndex(rows, ownColumns.get(f), fkColumns.get(f)));
            }
        }
        return ChunkParents.parentFirst(rows.size(), parents);
    }

    /** Whether one parent exists now (for pending children). */
    public boolean exists(String parentTable, Object[] values) {
        for (int f = 0; f < fks.size(); f++) {
            TargetTable.ForeignKey fk = fks.get(f);
            if (fk.parentTable().equalsIgnoreCase(parentTable)
                    && fk.parentColumns().size() == values.length) {
                Map<String, Boolean> cache = cache(parentTable);
                String key = key(values);
                cache.remove(key);
                Map<String, Object[]> one = Map.of(key, values);
                lookup(f, one);
                return cache.containsKey(key);
            }
        }
        return true;
    }

    private Map<String, Boolean> cache(String parentTable) {
        return known.computeIfAbsent(parentTable.toLowerCase(Locale.ROOT), t -> new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > CACHE_SIZE;
            }
        });
    }

    private void lookup(int f, Map<String, Object[]> unknown) {
        if (unknown.isEmpty()) {
            return;
        }
        TargetTable.ForeignKey fk = fks.get(f);
        Column[] types = fkTypes.get(f);
        Map<String, Boolean> cache = cache(fk.parentTable());
        List<Object[]> all = new ArrayList<>(unknown.values());
        String cols = fk.parentColumns().stream().map(dialect::quote).collect(Collectors.joining(", "));
        String one = fk.parentColumns().stream()
                .map(col -> dialect.quote(col) + " = ?")
                .collect(Collectors.joining(" AND ", "(", ")"));
        for (int from = 0; from < all.size(); from += QUERY_WIDTH) {
            List<Object[]> part = all.subList(from, Math.min(all.size(), from + QUERY_WIDTH));
            String where = String.join(" OR ", Collections.nCopies(part.size(), one));
            String sql = "SELECT " + cols + " FROM " + dialect.quote(fk.parentTable()) + " WHERE " + where;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (Object[] values : part) {
                    for (int k = 0; k < values.length; k++) {
                        dialect.bindValue(ps, i++, types[k], values[k]);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object[] found = new Object[fk.parentColumns().size()];
                        for (int k = 0; k < found.length; k++) {
                            found[k] = rs.getObject(k + 1);
                        }
                        cache.put(key(found), Boolean.TRUE);
                    }
                }
            } catch (SQLException e) {
                throw ShuttleException.database(
                        "looking up parents in " + fk.parentTable() + " for " + table.name(), e);
            }
        }
    }

    private static Set<String> keys(List<Object[]> rows, int[] idx) {
        Set<String> out = new HashSet<>();
        for (Object[] row : rows) {
            Object[] v = values(row, idx);
            if (v != null) {
                out.add(key(v));
            }
        }
        return out;
    }

    static Object[] values(Object[] row, int[] idx) {
        Object[] v = new Object[idx.length];
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= row.length || row[idx[i]] == null) {
                return null;
            }
            v[i] = row[idx[i]];
        }
        return v;
    }

    static String key(Object[] values) {
        if (values.length == 1) {
            return text(values[0]);
        }
        StringBuilder s = new StringBuilder();
        for (Object v : values) {
            s.append(text(v)).append('\u001f');
        }
        return s.toString();
    }

    private static String text(Object v) {
        return v instanceof BigDecimal d
                ? (d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString())
                : String.valueOf(v);
    }

    private static int indexOf(List<String> columns, String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(column)) {
                return i;
            }
        }
        return -1;
    }
}
