package io.shuttlebridge.core.change;

import io.shuttlebridge.core.internal.change.HandedOverValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The replicated unit: the latest state of one row as written at one node.
 *
 * @param table table name
 * @param key primary-key values in key order
 * @param op upsert or delete
 * @param values replicated column values (key columns included) for an upsert; empty for a delete
 * @param hlc hybrid logical clock value of the write
 * @param origin node uuid of the writer
 * @param version the row's version after this write (counts writes to the row across replicas)
 * @param base the version this write was made on (0 for a new row)
 * @param columnStamps per-column stamps for FIELD_LWW tables (empty otherwise)
 */
public record Change(
        String table,
        List<Object> key,
        Op op,
        Map<String, Object> values,
        long hlc,
        String origin,
        long version,
        long base,
        Map<String, Stamp> columnStamps) {

    public Change {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(op, "op");
        Objects.requireNonNull(origin, "origin");
        key = Collections.unmodifiableList(new ArrayList<>(key)); // keys may hold null parts
        values = values == null
                ? Map.of()
                : values instanceof HandedOverValues mine
                        ? Collections.unmodifiableMap(mine)
                        : Collections.unmodifiableMap(new LinkedHashMap<>(values));
        columnStamps = columnStamps == null || columnStamps.isEmpty() ? Map.of() : inOrder(columnStamps);
    }

    /**
     * The column stamps as given, in their order: they are written in that order, and an order that
     * changed from one run to the next ({@link Map#copyOf}'s does) would change how the database lays
     * them out.
     */
    private static Map<String, Stamp> inOrder(Map<String, Stamp> stamps) {
        Map<String, Stamp> copy = new LinkedHashMap<>(stamps.size() * 2);
        stamps.forEach((col, stamp) -> copy.put(Objects.requireNonNull(col), Objects.requireNonNull(stamp)));
        return Collections.unmodifiableMap(copy);
    }

    public Stamp stamp() {
        return new Stamp(hlc, origin);
    }

    public boolean isDelete() {
        return op == Op.DELETE;
    }
}
