package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.BatchOutcome;
import io.shuttlebridge.bridge.BatchReport;
import io.shuttlebridge.bridge.RunOptions;
import io.shuttlebridge.bridge.definition.DeleteMode;
import io.shuttlebridge.bridge.definition.EntityDefinition;
import io.shuttlebridge.bridge.internal.source.RecordStream;
import io.shuttlebridge.bridge.internal.source.Source;
import io.shuttlebridge.bridge.internal.source.Sources;
import io.shuttlebridge.bridge.internal.store.BatchStore;
import io.shuttlebridge.bridge.internal.store.CursorStore;
import io.shuttlebridge.bridge.internal.store.DeadLetterStore;
import io.shuttlebridge.bridge.internal.store.PendingStore;
import io.shuttlebridge.bridge.internal.store.SeenSet;
import io.shuttlebridge.bridge.internal.store.StateStore;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one batch of one entity: opens or resumes its pass, streams the source through the nine
 * stages chunk by chunk, reconciles deletes at the end of a complete pass, works the pending queue,
 * and records the batch. A failure rolls back the current chunk only; the pass resumes after the last
 * committed chunk, so nothing is written twice and nothing is skipped.
 */
public final class EntityRun {
    private static final Logger LOG = LoggerFactory.getLogger(EntityRun.class);

    private final RunContext ctx;
    private final EntityDefinition def;
    private final RunOptions options;

    public EntityRun(RunContext ctx, EntityDefinition def, RunOptions options) {
        this.ctx = ctx;
        this.def = def;
        this.options = options;
    }

    private final Map<String, EntityTarget> targets = new HashMap<>();
    private RunState run;
    private Source source;
    private long started;
    private BatchOutcome outcome = BatchOutcome.SUCCEEDED;
    private String error;
    private boolean passComplete;

    /** All phases of one batch: open, ingest, complete the pass when the source was read to its end, finish. */
    public BatchReport execute() {
        if (open() && ingest()) {
            completePass();
        }
        return finish();
    }

    /** Opens or resumes the entity's pass and records the batch; throws when the target database refuses. */
    public boolean open() {
        Connection c = ctx.connection();
        source = Sources.create(def, ctx.sleeper(), ctx.clock());
        try {
            run = begin(c, source);
        } catch (SQLException e) {
            rollback(c);
            throw ShuttleException.database("starting a batch of " + def.name(), e);
        }
        started = System.nanoTime();
        return true;
    }

    /**
     * Works the pending queue, then streams the source through the stages chunk by chunk. Returns true
     * when the source was read to its end (the pass can complete), false when the batch paused or failed.
     */
    public boolean ingest() {
        for (int attempt = 1; ; attempt++) {
            try {
                EntityTarget target = target(def);
                PendingResolver.run(ctx, run, this::target);
                if (stream(source, target, run)) {
                    return true;
                }
                outcome = BatchOutcome.PAUSED;
                return false;
            } catch (RuntimeException | SQLException e) {
                if (attempt < TransientFailures.ATTEMPTS && TransientFailures.isTransient(e)) {
                    retryAfter(e, attempt);
                    continue;
                }
                failed(e);
                return false;
            }
        }
    }

    /**
     * The target database refused the chunk for a moment (a concurrent writer won, as when the hub
     * folds captured writes while this chunk reads; a deadlock; a lost connection): the chunk is rolled
     * back, and the stream resumes after the last committed chunk, with the target's statements anew.
     */
    private void retryAfter(Exception e, int attempt) {
        rollback(ctx.connection());
        if (run.seen != null) {
            run.seen.discardUnflushed();
        }
        try {
            targets.values().forEach(EntityTarget::close);
        } finally {
            targets.clear();
        }
        LOG.info(
                "batch {} of {}: chunk retried after a transient failure (attempt {}): {}",
                run.batchId,
                def.name(),
                attempt,
                e.getMessage());
        TransientFailures.pause(ctx, attempt, def.name());
    }

    /**
     * Completes a pass read to its end: reconciles deletes (a complete pass), moves the cursor to the
     * next pass and works the pending queue again. Several entities run together complete their passes
     * children first, so that a parent gone from the source is deleted after its children.
     */
    public void completePass() {
        Connection c = ctx.connection();
        try {
            if (run.seen != null) {
                Reconciler.run(ctx, target(def), run);
                run.seen.clear();
            }
            run.cursor = run.cursor.completePass(ctx.clock().instant());
            CursorStore.save(c, run.cursor);
            c.commit();
            passComplete = true;
            PendingResolver.run(ctx, run, this::target);
        } catch (RuntimeException | SQLException e) {
            failed(e);
        }
    }

    /** Records the batch's outcome and counts, closes what the batch opened, and returns its report. */
    public BatchReport finish() {
        try {
            targets.values().forEach(EntityTarget::close);
        } finally {
            targets.clear();
        }
        return finish(ctx.connection(), run, outcome, error, passComplete, started);
    }

    public EntityDefinition definition() {
        return def;
    }

    private EntityTarget target(EntityDefinition d) {
        return targets.computeIfAbsent(d.name(), n -> EntityTarget.open(ctx, d));
    }

    private void failed(Exception e) {
        rollback(ctx.connection());
        if (run.seen != null) {
            run.seen.discardUnflushed();
        }
        outcome = BatchOutcome.FAILED;
        error = e.getMessage();
        LOG.warn("batch {} of {} failed: {}", run.batchId, def.name(), e.getMessage());
    }

    private RunState begin(Connection c, Source source) throws SQLException {
        Instant now = ctx.clock().instant();
        BatchStore.markInterrupted(c, def.name(), now);
        CursorStore.Cursor cursor = CursorStore.load(c, def.name());
        boolean newPass = !cursor.passOpen();
        boolean full =
                newPass ? options.fullPass() || !source.incremental() || cursor.highWater() == null : cursor.passFull();
        long batchId = BatchStore.start(c, def.name(), options.trigger(), cursor.passId(), full, now);
        SeenSet seen = full && def.deletes() == DeleteMode.RECONCILE ? new SeenSet(c, def.name()) : null;
        if (newPass) {
            cursor = cursor.startPass(
                    batchId, full, full ? null : cursor.highWater(), StateStore.maxId(c, def.name()), now);
            if (seen != null) {
                seen.clear();
            }
            CursorStore.save(c, cursor);
        }
        c.commit();
        RunState run = new RunState(batchId, cursor, seen);
        run.hasOpenLetters = DeadLetterStore.countOpen(c, def.name()) > 0;
        run.hasPending = PendingStore.count(c, def.name()) > 0;
        return run;
    }

    /** Returns true when the source was read to its end. */
    private boolean stream(Source source, EntityTarget target, RunState run) throws SQLException {
        RecordPreparer preparer = new RecordPreparer(def);
        ChunkWriter writer = new ChunkWriter(ctx, target, run, preparer.fieldNames());
        try (RecordStream stream = source.open(run.cursor.passToken(), run.cursor.passSince())) {
            ChunkProducer producer =
                    new ChunkProducer(stream, preparer, def.batchSize(), options.maxRows(), run.counters);
            Thread thread = Thread.ofPlatform()
                    .name("bridge-fetch-" + def.name())
                    .daemon()
                    .start(producer);
            try {
                while (true) {
                    Object item = producer.take();
                    if (item instanceof ChunkProducer.Failure f) {
                        throw f.error();
                    }
                    if (item instanceof ChunkProducer.End end) {
                        return end.exhausted();
                    }
                    Chunk chunk = (Chunk) item;
                    writer.write(chunk);
                    if (chunk.commit()
                            && options.deadline() != null
                            && !ctx.clock().instant().isBefore(options.deadline())) {
                        return false;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ShuttleException(ErrorCode.INTERNAL, "interrupted while running " + def.name(), e);
            } finally {
                producer.stop();
                thread.interrupt();
                joinQuietly(thread);
            }
        }
    }

    private BatchReport finish(
            Connection c, RunState run, BatchOutcome outcome, String error, boolean passComplete, long started) {
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        double rate = run.counters.fetched / seconds;
        try {
            BatchStore.finish(
                    c, run.batchId, run.counters, outcome, error, ctx.clock().instant(), passComplete, rate);
            c.commit();
            BatchReport report = BatchStore.find(c, run.batchId).orElseThrow();
            ctx.metrics().record(report, PendingStore.count(c, def.name()));
            c.commit(); // hold no read snapshot between batches
            return report;
        } catch (SQLException e) {
            rollback(c);
            throw ShuttleException.database("recording batch " + run.batchId, e);
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException e) {
            LOG.warn("rollback failed: {}", e.getMessage());
        }
    }
}
