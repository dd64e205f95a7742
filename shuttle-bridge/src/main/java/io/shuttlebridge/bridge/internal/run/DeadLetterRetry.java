package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.BatchOutcome;
import io.shuttlebridge.bridge.DeadLetter;
import io.shuttlebridge.bridge.RetryResult;
import io.shuttlebridge.bridge.definition.EntityDefinition;
import io.shuttlebridge.bridge.definition.FieldSpec;
import io.shuttlebridge.bridge.internal.record.PreparedRecord;
import io.shuttlebridge.bridge.internal.record.Rejected;
import io.shuttlebridge.bridge.internal.record.SourceRecord;
import io.shuttlebridge.bridge.internal.store.BatchStore;
import io.shuttlebridge.bridge.internal.store.CursorStore;
import io.shuttlebridge.bridge.internal.store.DeadLetterStore;
import io.shuttlebridge.bridge.internal.store.RowCodec;
import io.shuttlebridge.bridge.internal.store.Sql;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Retries dead letters: each stored raw payload goes through the entity's current definition again
 * (so a fixed rule or mapping applies) and, when it passes, is written like any record. Each retry is
 * recorded as a batch with trigger {@code retry}.
 */
public final class DeadLetterRetry {
    private DeadLetterRetry() {}

    public static RetryResult run(RunContext ctx, List<Long> ids) throws SQLException {
        Connection c = ctx.connection();
        List<Long> resolved = new ArrayList<>();
        List<Long> failed = new ArrayList<>();
        List<Long> notFound = new ArrayList<>();
        for (long id : ids) {
            DeadLetter letter = DeadLetterStore.find(c, id).orElse(null);
            if (letter == null || letter.status() != DeadLetter.Status.OPEN) {
                notFound.add(id);
                continue;
            }
            EntityDefinition def = ctx.pipeline().entity(letter.entity());
            if (retry(ctx, def, letter)) {
                resolved.add(id);
            } else {
                failed.add(id);
            }
        }
        return new RetryResult(resolved, failed, notFound);
    }

    private static boolean retry(RunContext ctx, EntityDefinition def, DeadLetter letter) throws SQLException {
        Connection c = ctx.connection();
        Instant now = ctx.clock().instant();
        List<String> names = def.fields().stream().map(FieldSpec::name).toList();
        Object[] raw = RowCodec.decode(names, letter.raw());
        String rv = def.source().rowversion() == null
                ? null
                : stringOrNull(raw[names.indexOf(def.source().rowversion())]);
        RecordPreparer preparer = new RecordPreparer(def);
        Object prepared = preparer.prepare(new SourceRecord(raw, rv, false));
        CursorStore.Cursor cursor = CursorStore.load(c, def.name());
        long batchId = BatchStore.start(c, def.name(), "retry", cursor.passId(), false, now);
        RunState run = new RunState(batchId, cursor, null);
        run.hasOpenLetters = true;
        run.counters.retried = 1;
        boolean ok;
        try (EntityTarget target = EntityTarget.open(ctx, def)) {
            if (prepared instanceof Rejected x) {
                Sql.update(
                        c,
                        "UPDATE _shuttle_bridge_dead_letter SET stage = ?, rule = ?, error = ?, normalized = ?, mapped = ?,"
                                + " attempts = attempts + 1, updated_at = ? WHERE id = ?",
                        x.stage().name(),
                        x.rule(),
                        x.error(),
                        RowCodec.encode(names, x.normalized()),
                        RowCodec.encode(def.targetColumns(), x.mapped()),
                        now,
                        letter.id());
                run.counters.deadLettered = 1;
                ok = false;
            } else {
                PreparedRecord r = (PreparedRecord) prepared;
                new ChunkWriter(ctx, target, run, names)
                        .write(new Chunk(List.of(r), List.of(), cursor.passToken(), null, 0, 1, 0, 1, true));
                ok = run.counters.pending == 0;
                if (ok) {
                    DeadLetterStore.setStatus(c, letter.id(), DeadLetter.Status.RESOLVED, now);
                } else {
                    Sql.update(
                            c,
                            "UPDATE _shuttle_bridge_dead_letter SET attempts = attempts + 1, error = ?, updated_at = ? WHERE id = ?",
                            "retried: the parent is still missing; the record waits in the pending queue again",
                            now,
                            letter.id());
                }
            }
            BatchStore.finish(
                    c,
                    batchId,
                    run.counters,
                    BatchOutcome.SUCCEEDED,
                    null,
                    ctx.clock().instant(),
                    false,
                    0);
            c.commit();
        } catch (RuntimeException | SQLException e) {
            EntityRun.rollback(c);
            BatchStore.finish(
                    c,
                    batchId,
                    run.counters,
                    BatchOutcome.FAILED,
                    e.getMessage(),
                    ctx.clock().instant(),
                    false,
                    0);
            c.commit();
            throw e;
        }
        return ok;
    }

    private static String stringOrNull(Object v) {
        return v == null ? null : v instanceof BigDecimal d ? d.toPlainString() : v.toString();
    }
}
