package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.testkit.Convergence;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares replicas with the first one, the hub: the same synced tables, the same rows by primary
 * key, the same value in every replicated column; no device holding changes it has not pushed to
 * the hub, no replica holding received changes that wait for a parent row.
 */
public final class ConvergenceCheck {
    /** A database and the name it has in messages. */
    public record Named(String name, ShuttleDatabase db) {}

    private final List<String> differences = new ArrayList<>();
    private long rows;

    private ConvergenceCheck() {}

    public static Convergence.Result run(List<Named> replicas) {
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("no replicas to compare: give the hub first, then the devices");
        }
        return new ConvergenceCheck().compare(replicas);
    }

    private Convergence.Result compare(List<Named> replicas) {
        Named hub = replicas.get(0);
        SyncSchema hubSchema = schema(hub.db());
        Map<String, TreeMap<List<Object>, Map<String, Object>>> hubRows = new TreeMap<>();
        for (SyncedTable t : hubSchema.tables()) {
            TreeMap<List<Object>, Map<String, Object>> r = TableRows.read(hub.db(), t);
            hubRows.put(t.name(), r);
            rows += r.size();
        }
        waiting(hub);
        for (Named device : replicas.subList(1, replicas.size())) {
            SyncSchema schema = schema(device.db());
            TreeSet<String> names = new TreeSet<>(hubRows.keySet());
            names.addAll(schema.tables().stream().map(SyncedTable::name).toList());
            for (String table : names) {
                if (!hubRows.containsKey(table)) {
                    differences.add(table + ": synced on " + device.name() + " but not on " + hub.name());
                } else if (schema.table(table).isEmpty()) {
                    differences.add(table + ": synced on " + hub.name() + " but not on " + device.name());
                } else {
                    SyncedTable t = schema.require(table);
                    compareRows(
                            t,
                            hub.name(),
                            hubRows.get(table),
                            device.name(),
                            TableRows.read(device.db(), t),
                            differences);
                }
            }
            long pending = SyncEngine.open(device.db()).pendingChanges(hubSchema.nodeUuid());
            if (pending > 0) {
                differences.add(device.name() + ": " + pending + " change(s) not pushed to " + hub.name());
            }
            waiting(device);
        }
        return new Convergence.Result(hubRows.size(), rows, differences);
    }

    private void waiting(Named replica) {
        long waiting = SyncEngine.open(replica.db()).waitingChanges();
        if (waiting > 0) {
            differences.add(replica.name() + ": " + waiting + " received change(s) waiting for a parent row");
        }
    }

    /** Adds to {@code differences} one line per row of {@code table} that differs between the two replicas. */
    static void compareRows(
            SyncedTable table,
            String hubName,
            TreeMap<List<Object>, Map<String, Object>> hub,
            String deviceName,
            TreeMap<List<Object>, Map<String, Object>> device,
            List<String> differences) {
        TreeSet<List<Object>> keys = new TreeSet<>(TableRows.KEY_ORDER);
        keys.addAll(hub.keySet());
        keys.addAll(device.keySet());
        for (List<Object> key : keys) {
            Map<String, Object> h = hub.get(key);
            Map<String, Object> d = device.get(key);
            if (Objects.equals(h, d)) {
                continue;
            }
            String where = table.name() + " " + RowValues.showKey(table.key(), key);
            if (h == null || d == null) {
                differences.add(where + ": " + hubName + " " + RowValues.showRow(h) + ", " + deviceName + " "
                        + RowValues.showRow(d));
                continue;
            }
            List<String> columns = new ArrayList<>();
            TreeSet<String> names = new TreeSet<>(h.keySet());
            names.addAll(d.keySet());
            for (String col : names) {
                if (!h.containsKey(col) || !d.containsKey(col)) {
                    columns.add(col + " only on " + (h.containsKey(col) ? hubName : deviceName));
                } else if (!Objects.equals(h.get(col), d.get(col))) {
                    columns.add(col + ": " + hubName + " " + RowValues.show(h.get(col)) + ", " + deviceName + " "
                            + RowValues.show(d.get(col)));
                }
            }
            differences.add(where + " " + String.join("; ", columns));
        }
    }

    private static SyncSchema schema(ShuttleDatabase db) {
        return db.read(c -> SyncSchema.load(c, Dialects.of(db)));
    }
}
