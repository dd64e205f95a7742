package io.shuttlebridge.bench.load;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.protocol.WireCodec;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One device of the load, speaking the protocol itself: a node uuid with a leased short id, a pull
 * cursor, and its own hybrid clock. Each round pulls one page of what the others pushed (unless the
 * page size is 0: devices that only push), then pushes a batch of new rows of {@code item} (ids from a counter all devices share, so no two
 * writes touch the same row).
 */
final class VirtualDevice {
    static final String TABLE = "item";

    /** What one device did in one phase; written by the device's own thread only. */
    static final class Tally {
        final Samples push = new Samples();
        final Samples pull = new Samples();
        long rows;
        long pulled;
    }

    private final String node = UUID.randomUUID().toString();
    private long lastHlc;
    private long cursor;

    String node() {
        return node;
    }

    void lease(HubWire hub) throws HubWire.CallFailed {
        hub.lease("bench-load-" + node, node);
    }

    /** Starts pulling after {@code position}, as a device that has just caught up would. */
    void cursorAt(long position) {
        cursor = position;
    }

    /** Rounds of pull-then-push until {@code deadline} (System.nanoTime()); each round starts before it. */
    Tally run(HubWire hub, long deadline, AtomicLong ids, int batch, int pullLimit, Errors errors, AtomicLong hubSeq) {
        Tally t = new Tally();
        while (System.nanoTime() < deadline) {
            try {
                if (pullLimit > 0) {
                    long t0 = System.nanoTime();
                    HubWire.Pulled page = hub.pull(node, cursor, pullLimit);
                    t.pull.add(System.nanoTime() - t0);
                    cursor = page.next();
                    t.pulled += page.changes();
                }
                HubWire.Pushed pushed = pushRows(hub, ids, batch, t.push);
                if (pushed.applied() != batch) {
                    errors.add("push not applied", "the hub applied " + pushed.applied() + " of " + batch + " rows");
                } else {
                    t.rows += batch;
                }
                hubSeq.accumulateAndGet(pushed.hubSeq(), Math::max);
            } catch (HubWire.CallFailed e) {
                errors.add(e.kind, e.getMessage());
                LockSupport.parkNanos(50_000_000L); // a failing hub is not hammered in a tight loop
            } catch (RuntimeException e) {
                errors.add("device " + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
                LockSupport.parkNanos(50_000_000L);
            }
        }
        return t;
    }

    /** Pushes {@code batch} new rows, recording the push's round trip; returns the hub's answer. */
    HubWire.Pushed pushRows(HubWire hub, AtomicLong ids, int batch, Samples into) throws HubWire.CallFailed {
        long first = ids.getAndAdd(batch);
        List<Change> changes = new ArrayList<>(batch);
        for (long id = first; id < first + batch; id++) {
            changes.add(row(id));
        }
        byte[] body = WireCodec.pushRequestBytes(node, changes);
        long t0 = System.nanoTime();
        HubWire.Pushed answer = hub.push(body);
        into.add(System.nanoTime() - t0);
        return answer;
    }

    private Change row(long id) {
        Map<String, Object> values = new LinkedHashMap<>(8);
        values.put("id", id);
        values.put("sku", "SKU-" + id);
        values.put("name", "load " + id);
        values.put("qty", (int) (id % 1000));
        values.put("price", BigDecimal.valueOf(id % 100_000, 2));
        return new Change(TABLE, List.of(id), Op.UPSERT, values, nextHlc(), node, 1, 0, Map.of());
    }

    /** The device's clock: wall-clock milliseconds, the counter breaking ties within one. */
    private long nextHlc() {
        lastHlc = Math.max(lastHlc + 1, System.currentTimeMillis() << Hlc.COUNTER_BITS);
        return lastHlc;
    }
}
