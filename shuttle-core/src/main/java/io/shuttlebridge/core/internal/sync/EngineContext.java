package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.id.HlcClock;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.sync.apply.Applier;
import io.shuttlebridge.core.sync.ConflictResolver;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * What the parts of one {@code SyncEngine} share: its database, the synced schema (swapped as a whole
 * when the database's tables gain columns or tables: each operation takes it once, through {@link
 * #schema()}), its settings, and its clocks. Reached from an engine through {@link EngineAccess}.
 * Internal.
 *
 * @param onApplied called inside the apply transaction after each change is written
 * @param clock the one source of time of the engine: stamps, and the times its stores record
 * @param hlc the engine's hybrid logical clock over {@code clock}: it stamps the writes the engine
 *     makes while applying, and observes ({@link HlcClock#observe}, without a skew check) every stamp
 *     the engine receives or reads from the database's clock position; as a hub, a pushed stamp more
 *     than its {@link HlcClock#maxSkew()} ahead of {@code clock} is re-stamped before anything observes
 *     it
 * @param pushTimes what the engine's pushes wait for and what their transactions take, as a hub
 * @param pullAcks what the pulls it serves as a pooled hub acknowledge, written a moment later together
 * @param pendingSchema as a hub, a digest of the destructive schema changes made to its tables and not taken
 *     yet, 0 when there are none ({@link #announcedSchemaVersion()})
 */
public record EngineContext(
        ShuttleDatabase db,
        AtomicReference<SyncSchema> schemaRef,
        Map<String, ConflictResolver> resolvers,
        int pageSize,
        int maxBatch,
        Consumer<Change> onApplied,
        MillisClock clock,
        HlcClock hlc,
        PushTimes pushTimes,
        PullAcks pullAcks,
        AtomicLong pendingSchema) {

    public EngineContext {
        resolvers = Map.copyOf(resolvers);
    }

    /** The synced schema as it is now; an operation reads it once and works with that snapshot. */
    public SyncSchema schema() {
        return schemaRef.get();
    }

    /** Puts {@code next} in place of the current schema for the operations that start from now on. */
    public void swapSchema(SyncSchema next) {
        schemaRef.set(next);
    }

    /**
     * The schema version a hub's answers announce: {@link SyncSchema#version()}, mixed with a digest of the
     * destructive schema changes pending on its tables while there are any. So the version devices see moves
     * when such a change is made and again when it is undone (the tables keep their captured shape, and
     * their schema its version, meanwhile): a device queues again the writes the hub refused as {@code
     * SCHEMA_MISMATCH} on each move ({@link HubSchemaVersion}), those refused for a pending change among
     * them.
     */
    public long announcedSchemaVersion() {
        long version = schema().version();
        long pending = pendingSchema.get();
        if (pending == 0) {
            return version;
        }
        long mixed = (version ^ pending) * 0x9E3779B97F4A7C15L;
        return mixed == 0 ? 1 : mixed;
    }

    /** Records the destructive changes among {@code changes} of the tables {@code synced} has, pending on them. */
    public void pendingSchemaChanges(io.shuttlebridge.core.capture.SchemaChanges changes, SyncSchema synced) {
        Map<String, String> refused = PendingSchemaChanges.byTable(changes.items(), synced);
        long digest = 0;
        if (!refused.isEmpty()) {
            digest = 0xcbf29ce484222325L; // FNV-1a over the changes' messages
            for (char ch : String.join("\n", refused.values()).toCharArray()) {
                digest = (digest ^ ch) * 0x100000001b3L;
            }
            digest = digest == 0 ? 1 : digest;
        }
        pendingSchema.set(digest);
    }

    public String nodeUuid() {
        return schema().nodeUuid();
    }

    /** Applies batches of at most the engine's max batch. */
    public Applier applier() {
        return new Applier(Dialects.of(db), schema(), resolvers, maxBatch, onApplied, clock, hlc, hlc.maxSkew());
    }

    /** Applies batches of any size, for transfers that are not a Transport (bundles). */
    public Applier unboundedApplier() {
        return new Applier(
                Dialects.of(db), schema(), resolvers, Integer.MAX_VALUE, onApplied, clock, hlc, hlc.maxSkew());
    }

    /** {@code limit}, a page size a reader asked for, refused unless between 1 and {@link #maxBatch}. */
    public int checkLimit(int limit) {
        if (limit <= 0 || limit > maxBatch) {
            throw new io.shuttlebridge.core.ShuttleException(
                    io.shuttlebridge.core.ErrorCode.INVALID_ARGUMENT,
                    "limit must be between 1 and " + maxBatch + ", got " + limit);
        }
        return limit;
    }
}
