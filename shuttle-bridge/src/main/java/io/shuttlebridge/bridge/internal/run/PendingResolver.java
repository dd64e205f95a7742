package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.definition.EntityDefinition;
import io.shuttlebridge.bridge.internal.store.BkKey;
import io.shuttlebridge.bridge.internal.store.DeadLetterStore;
import io.shuttlebridge.bridge.internal.store.IdentityKey;
import io.shuttlebridge.bridge.internal.store.PendingStore;
import io.shuttlebridge.bridge.internal.store.RowCodec;
import io.shuttlebridge.bridge.internal.store.StateStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * Works through the pending-children queue: a child whose parent now exists is ingested at once;
 * one still waiting whose next attempt is due uses an attempt and backs off exponentially
 * (backoff, 2x, 4x, ...); after {@code max_attempts} it is dead-lettered with the reason.
 */
final class PendingResolver {
    private static final int PAGE = 500;

    private PendingResolver() {}

    static void run(RunContext ctx, RunState run, Function<EntityDefinition, EntityTarget> targets)
            throws SQLException {
        Connection c = ctx.connection();
        for (EntityDefinition def : ctx.pipeline().entities()) {
            if (PendingStore.count(c, def.name()) == 0) {
                continue;
            }
            EntityTarget target = targets.apply(def);
            long after = 0;
            while (true) {
                List<PendingStore.Entry> page = PendingStore.page(c, def.name(), after, PAGE);
                if (page.isEmpty()) {
                    break;
                }
                Instant now = ctx.clock().instant();
                for (PendingStore.Entry e : page) {
                    after = e.id();
                    attempt(ctx, run, target, e, now);
                }
                target.sink.flush();
                target.state.flush();
                c.commit();
            }
        }
    }

    private static void attempt(RunContext ctx, RunState run, EntityTarget target, PendingStore.Entry e, Instant now)
            throws SQLException {
        Connection c = ctx.connection();
        if (target.parents.exists(e.parentTable(), RowCodec.decodeArray(e.parentKey()))) {
            Object[] mapped = RowCodec.decode(target.columns, e.mapped());
            IdentityKey key = new IdentityKey(target.hasher.orderKey(mapped), e.bkHash());
            StateStore.Entry existing = target.state.lookup(List.of(key)).get(new BkKey(e.bkHash()));
            if (existing == null) {
                target.sink.insert(mapped);
                target.state.insert(key, e.dataHash(), e.rowversion(), e.keyJson(), run.batchId);
            } else {
                target.sink.update(mapped);
                target.state.update(key, e.dataHash(), e.rowversion(), run.batchId);
            }
            PendingStore.remove(c, e.id());
            DeadLetterStore.resolveKeys(c, e.entity(), List.of(HexFormat.of().formatHex(e.bkHash())), now);
            run.counters.resolved++;
            return;
        }
        if (now.isBefore(e.nextAttemptAt())) {
            return;
        }
        int attempts = e.attempts() + 1;
        run.counters.retried++;
        EntityDefinition def = target.def;
        if (attempts >= def.maxAttempts()) {
            DeadLetterStore.add(
                    c,
                    new DeadLetterStore.Letter(
                            e.entity(),
                            run.batchId,
                            "RESOLVE",
                            "parent " + e.parentTable(),
                            e.reason() + " after " + attempts + " attempts",
                            HexFormat.of().formatHex(e.bkHash()),
                            e.raw(),
                            null,
                            e.mapped()),
                    now);
            PendingStore.remove(c, e.id());
            run.counters.deadLettered++;
        } else {
            Duration delay = def.backoff().multipliedBy(1L << Math.min(attempts - 1, 20));
            PendingStore.retryLater(c, e.id(), attempts, now.plus(delay), e.reason());
        }
    }
}
