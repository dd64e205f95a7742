package io.shuttlebridge.bridge.internal.resolve;

import io.shuttlebridge.bridge.internal.store.RowCodec;
import io.shuttlebridge.bridge.internal.target.TargetTable;
import io.shuttlebridge.bridge.internal.target.ValueBinder;
import io.shuttlebridge.core.ShuttleException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The resolve stage's check: does every row's parent exist in the target? Uses the target table's
 * foreign keys (whose columns are all mapped), one batched query per foreign key and chunk, and a
 * bounded cache of parent keys already found.
 */
public final class ParentResolver {
    private static final int QUERY_WIDTH = 200;
    private static final int CACHE_SIZE = 50_000;

    /** A parent that is not there. */
    public record Missing(TargetTable.ForeignKey fk, Object[] values) {
        public String parentKeyJson() {
            return RowCodec.encodeArray(values);
        }

        public String describe() {
            StringBuilder s = new StringBuilder(fk.parentTable()).append('(');
            for (int i = 0; i < values.length; i++) {
                s.append(i == 0 ? "" : ", ").append(fk.parentColumns().get(i)).append('=').append(values[i]);
            }
            return s.append(')').toString();
        }
    }

    private final Connection c;
    private final ValueBinder binder;
    private final TargetTable table;
    private final List<String> columns;
    private final List<TargetTable.ForeignKey> fks = new ArrayList<>();
    private final List<int[]> fkColumns = new ArrayList<>();
    private final Map<String, Boolean> known = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > CACHE_SIZE;
        }
    };

    public ParentResolver(Connection c, TargetTable table, List<String> columns) {
        this.c = c;
        this.binder = ValueBinder.forConnection(c);
        this.table = table;
        this.columns = List.copyOf(columns);
        for (TargetTable.ForeignKey fk : table.foreignKeys()) {
            int[] idx = fk.columns().stream().mapToInt(col -> indexOf(columns, col)).toArray();
            if (java.util.Arrays.stream(idx).allMatch(i -> i >= 0)) {
                fks.add(fk);
                fkColumns.add(idx);
            }
        }
    }

    public boolean hasParents() {
        return !fks.isEmpty();
    }

    /** For each row, null when all its parents exist (in the target or among {@code rows}), else the first missing one. */
    public List<Missing> check(List<Object[]> rows) {
        List<Missing> out = new ArrayList<>(java.util.Collections.nCopies(rows.size(), null));
        for (int f = 0; f < fks.size(); f++) {
            TargetTable.ForeignKey fk = fks.get(f);
            int[] idx = fkColumns.get(f);
            Set<String> inChunk = fk.parentTable().equalsIgnoreCase(table.name()) ? ownKeys(rows, fk) : Set.of();
            Map<String, Object[]> unknown = new LinkedHashMap<>();
            for (Object[] row : rows) {
                Object[] values = values(row, idx);
                if (values != null) {
                    String key = fk.parentTable() + '\u001f' + key(values);
                    if (!known.containsKey(key) && !inChunk.contains(key(values))) {
                        unknown.put(key, values);
                    }
                }
            }
            lookup(fk, unknown);
            for (int r = 0; r < rows.size(); r++) {
                Object[] values = values(rows.get(r), idx);
                if (values != null && out.get(r) == null && !inChunk.contains(key(values))
                        && !known.containsKey(fk.parentTable() + '\u001f' + key(values))) {
                    out.set(r, new Missing(fk, values));
                }
            }
        }
        return out;
    }

    /** Whether one parent exists now (for pending children). */
    public boolean exists(String parentTable, Object[] values) {
        for (TargetTable.ForeignKey fk : fks) {
            if (fk.parentTable().equalsIgnoreCase(parentTable) && fk.parentColumns().size() == values.length) {
                known.remove(parentTable + '\u001f' + key(values));
                Map<String, Object[]> one = Map.of(parentTable + '\u001f' + key(values), values);
                lookup(fk, one);
                return known.containsKey(parentTable + '\u001f' + key(values));
            }
        }
        return true;
    }

    private void lookup(TargetTable.ForeignKey fk, Map<String, Object[]> unknown) {
        if (unknown.isEmpty()) {
            return;
        }
        List<Object[]> all = new ArrayList<>(unknown.values());
        String cols = fk.parentColumns().stream().map(col -> "\"" + col + "\"").collect(Collectors.joining(", "));
        String one = fk.parentColumns().stream().map(col -> "\"" + col + "\" = ?").collect(Collectors.joining(" AND ", "(", ")"));
        for (int from = 0; from < all.size(); from += QUERY_WIDTH) {
            List<Object[]> part = all.subList(from, Math.min(all.size(), from + QUERY_WIDTH));
            String where = String.join(" OR ", java.util.Collections.nCopies(part.size(), one));
            String sql = "SELECT " + cols + " FROM \"" + fk.parentTable() + "\" WHERE " + where;
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                int i = 1;
                for (Object[] values : part) {
                    for (Object v : values) {
                        binder.bind(ps, i++, v);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object[] found = new Object[fk.parentColumns().size()];
                        for (int k = 0; k < found.length; k++) {
                            found[k] = rs.getObject(k + 1);
                        }
                        known.put(fk.parentTable() + '\u001f' + key(found), Boolean.TRUE);
                    }
                }
            } catch (SQLException e) {
                throw ShuttleException.database("looking up parents in " + fk.parentTable() + " for " + table.name(), e);
            }
        }
    }

    private Set<String> ownKeys(List<Object[]> rows, TargetTable.ForeignKey fk) {
        int[] parentIdx = fk.parentColumns().stream().mapToInt(col -> indexOf(columns, col)).toArray();
        Set<String> out = new HashSet<>();
        for (Object[] row : rows) {
            Object[] v = values(row, parentIdx);
            if (v != null) {
                out.add(key(v));
            }
        }
        return out;
    }

    private static Object[] values(Object[] row, int[] idx) {
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
        StringBuilder s = new StringBuilder();
        for (Object v : values) {
            s.append(v instanceof BigDecimal d ? (d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString()) : String.valueOf(v))
                    .append('\u001f');
        }
        return s.toString();
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
