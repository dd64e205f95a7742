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
        PullAcks pullAcks) {

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
}
