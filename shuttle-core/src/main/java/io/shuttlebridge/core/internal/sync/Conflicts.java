package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.sync.apply.ConflictStore;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.SyncEngine;
import java.util.List;
import java.util.Map;

/** The conflicts an engine recorded: listing them, and settling one with the row chosen. Internal. */
public final class Conflicts {
    private final EngineContext engine;
    private final ShuttleDatabase db;

    public Conflicts(EngineContext engine) {
        this.engine = engine;
        this.db = engine.db();
    }

    public List<ConflictRecord> list(boolean openOnly) {
        return db.read(c -> ConflictStore.list(c, openOnly));
    }

    /**
     * Settles a conflict by writing the chosen row as an ordinary local write (captured, so it
     * syncs to every replica like any other write) and marks the record resolved.
     */
    public ConflictRecord resolve(long conflictId, SyncEngine.Settlement settlement) {
        return db.transaction(c -> {
            ConflictRecord rec = ConflictStore.get(c, conflictId);
            if (rec == null) {
                throw new ShuttleException(ErrorCode.NOT_FOUND, "no conflict with id " + conflictId);
            }
            if (!rec.open()) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "conflict " + conflictId + " is already " + rec.status() + " (" + rec.resolution() + ")");
            }
            Map<String, Object> chosen = switch (settlement) {
                case SyncEngine.TakeLocal x -> rec.localValues();
                case SyncEngine.TakeRemote x -> rec.remoteValues();
                case SyncEngine.Values v -> v.values();
            };
            SettlementWriter.write(c, Dialects.of(db), engine.schema().require(rec.table()), rec.key(), chosen);
            String how = switch (settlement) {
                case SyncEngine.TakeLocal x -> "took local";
                case SyncEngine.TakeRemote x -> "took remote";
                case SyncEngine.Values v -> "given values";
            };
            ConflictStore.resolve(c, engine.clock(), conflictId, how);
            return ConflictStore.get(c, conflictId);
        });
    }
}
