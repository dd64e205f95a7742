package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.internal.sync.apply.PendingStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The changes a hub holds for a parent that will never come, and that nothing will ever supersede: an
 * LWW or FIELD_LWW upsert whose missing parent the hub holds deleted after the upsert was written. The hub
 * keeps such a change until its writer, hearing of the delete, deletes the row (its cascade), which
 * supersedes it; when the writer was restored from a backup older than the row, or lost, that never comes.
 * The change is never applied anywhere; it stays one row of the hub's {@code _shuttle_pending} (README,
 * Limits).
 */
public final class DeadHeldChanges {
    private DeadHeldChanges() {}

    /** How many of the changes {@code hub} holds are dead; -1 when some held change is not (it may still apply). */
    public static int count(Node hub) {
        SyncSchema schema = EngineAccess.context(hub.engine()).schema();
        List<PendingStore.Pending> held = hub.database().read(PendingStore::all);
        Map<String, Map<List<Object>, Stamp>> tombstones = tombstones(hub, schema);
        for (PendingStore.Pending p : held) {
            if (!dead(p.change(), schema, tombstones)) {
                return -1;
            }
        }
        return held.size();
    }

    private static boolean dead(Change r, SyncSchema schema, Map<String, Map<List<Object>, Stamp>> tombstones) {
        SyncedTable t = schema.require(r.table());
        if (r.op() != Op.UPSERT || (t.policy() != ConflictPolicy.LWW && t.policy() != ConflictPolicy.FIELD_LWW)) {
            return false;
        }
        for (ForeignKey fk : t.table().foreignKeys()) {
            SyncedTable parent = schema.require(fk.parentTable());
            if (!fk.parentColumns().equals(parent.key())) {
                continue;
            }
            List<Object> key = new ArrayList<>();
            for (String col : fk.childColumns()) {
                key.add(RowValues.normalize(r.values().get(col)));
            }
            Stamp deleted = tombstones.getOrDefault(parent.name(), Map.of()).get(key);
            if (deleted != null && deleted.newerThan(r.stamp())) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, Map<List<Object>, Stamp>> tombstones(Node hub, SyncSchema schema) {
        Map<String, Map<List<Object>, Stamp>> out = new HashMap<>();
        for (Map<String, Object> e : hub.query("""
                SELECT t.name, f.pk, f.hlc, n.uuid
                FROM _shuttle_feed f JOIN _shuttle_nodes n ON n.id = f.origin JOIN _shuttle_tables t ON t.id = f.tbl
                WHERE f.op = 2""")) {
            SyncedTable t = schema.require((String) e.get("name"));
            List<Object> pk = Dialects.of(hub.database()).capture().decodeKey(t, e.get("pk"));
            out.computeIfAbsent(t.name(), k -> new HashMap<>())
                    .put(pk.stream().map(RowValues::normalize).toList(), new Stamp((Long) e.get("hlc"), (String)
                            e.get("uuid")));
        }
        return out;
    }
}
