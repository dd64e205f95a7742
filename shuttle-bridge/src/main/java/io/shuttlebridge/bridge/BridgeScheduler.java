package io.shuttlebridge.bridge;

import io.shuttlebridge.bridge.definition.EntityDefinition;
import io.shuttlebridge.bridge.definition.ScheduleSpec;
import io.shuttlebridge.bridge.internal.run.RunContext;
import io.shuttlebridge.bridge.internal.schedule.ScheduleDecision;
import io.shuttlebridge.bridge.internal.schedule.SchedulePlanner;
import io.shuttlebridge.bridge.internal.schedule.TimeWindow;
import io.shuttlebridge.bridge.internal.store.BatchStore;
import io.shuttlebridge.bridge.internal.store.CursorStore;
import io.shuttlebridge.bridge.internal.store.Sql;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-entity schedules with time windows in a named zone. {@link #tick()} runs whatever is due at the
 * clock's current instant (call it periodically, or from a test after moving the clock);
 * {@link #trigger(String)} runs an entity now whatever the window; {@link #reset(String)} drops the
 * open pass so the next run starts a complete pass from the beginning.
 */
public final class BridgeScheduler {
    private final BridgeService service;
    private final RunContext ctx;

    BridgeScheduler(BridgeService service, RunContext ctx) {
        this.service = service;
        this.ctx = ctx;
    }

    /** Runs each scheduled entity that is due now; returns the batches run. */
    public List<BatchReport> tick() {
        List<BatchReport> out = new ArrayList<>();
        synchronized (service) {
            for (EntityDefinition def : ctx.pipeline().entities()) {
                if (def.schedule() != null && decide(def) instanceof ScheduleDecision.Run run) {
                    out.add(service.run(def.name(), run.options()));
                }
            }
        }
        return out;
    }

    /** Runs the entity now, outside its window too, resuming its open pass if any. */
    public BatchReport trigger(String entity) {
        synchronized (service) {
            ctx.pipeline().entity(entity);
            Sql.ending(
                    ctx.connection(),
                    "recording a trigger",
                    () -> Sql.update(
                            ctx.connection(),
                            "INSERT INTO _shuttle_bridge_schedule (entity, last_trigger_at) VALUES (?, ?)"
                                    + " ON CONFLICT (entity) DO UPDATE SET last_trigger_at = excluded.last_trigger_at",
                            entity,
                            ctx.clock().instant()));
            return service.run(entity, new RunOptions(false, 0, null, "trigger"));
        }
    }

    /** Forgets the open pass, its seen-set and the high-water mark: the next run is a complete pass from the start. */
    public ScheduleStatus reset(String entity) {
        synchronized (service) {
            ctx.pipeline().entity(entity);
            Connection c = ctx.connection();
            Sql.run("resetting " + entity, () -> {
                CursorStore.save(c, CursorStore.load(c, entity).reset());
                Sql.update(c, "DELETE FROM _shuttle_bridge_seen WHERE entity = ?", entity);
                Sql.update(
                        c,
                        "INSERT INTO _shuttle_bridge_schedule (entity, reset_at) VALUES (?, ?)"
                                + " ON CONFLICT (entity) DO UPDATE SET reset_at = excluded.reset_at",
                        entity,
                        ctx.clock().instant());
                c.commit();
                return null;
            });
            return status(entity);
        }
    }

    public List<ScheduleStatus> schedules() {
        synchronized (service) {
            return ctx.pipeline().entities().stream()
                    .filter(d -> d.schedule() != null)
                    .map(d -> status(d.name()))
                    .toList();
        }
    }

    public ScheduleStatus status(String entity) {
        synchronized (service) {
            EntityDefinition def = ctx.pipeline().entity(entity);
            ScheduleSpec spec = def.schedule();
            Connection c = ctx.connection();
            return Sql.ending(ctx.connection(), "reading schedule of " + entity, () -> {
                CursorStore.Cursor cursor = CursorStore.load(c, entity);
                List<BatchReport> last = BatchStore.list(c, entity, 1);
                Instant now = ctx.clock().instant();
                String window = null, zone = null, every = null;
                boolean in = true;
                Instant next = null;
                long rows = 0;
                if (spec != null) {
                    TimeWindow w = SchedulePlanner.window(spec);
                    window = w.toString();
                    zone = spec.zone().getId();
                    every = spec.every().toString();
                    in = w.contains(now);
                    next = in ? w.closesAt(now) : w.nextOpening(now);
                    rows = spec.rowsPerWindow();
                }
                return new ScheduleStatus(
                        entity,
                        window,
                        zone,
                        every,
                        rows,
                        in,
                        next,
                        cursor.passOpen(),
                        cursor.passRows(),
                        cursor.lastCompleteAt(),
                        last.isEmpty() ? null : last.get(0).id(),
                        last.isEmpty() ? null : last.get(0).outcome());
            });
        }
    }

    private ScheduleDecision decide(EntityDefinition def) {
        ScheduleSpec spec = def.schedule();
        if (spec == null) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "entity '" + def.name() + "' has no schedule");
        }
        Connection c = ctx.connection();
        Instant now = ctx.clock().instant();
        return Sql.ending(ctx.connection(), "planning " + def.name(), () -> {
            CursorStore.Cursor cursor = CursorStore.load(c, def.name());
            TimeWindow w = SchedulePlanner.window(spec);
            long used = w.contains(now) ? BatchStore.fetchedSince(c, def.name(), w.openedAt(now)) : 0;
            Instant resetAt = Sql.instant(Sql.run("reading reset", () -> {
                try (var ps = Sql.bind(
                                c.prepareStatement("SELECT reset_at FROM _shuttle_bridge_schedule WHERE entity = ?"),
                                def.name());
                        var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }));
            return SchedulePlanner.decide(spec, now, cursor.passOpen(), used, cursor.lastCompleteAt(), resetAt);
        });
    }
}
