package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.Standing;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.Transport;
import io.shuttlebridge.testkit.Fault;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Injects the configured faults at random and counts them. Faults are armed only during the
 * random phase; quiescence runs with them disarmed. The transport wrapper works around any
 * transport (in-process or HTTP): a duplicated push is sent again, a lost acknowledgement is
 * dropped after the hub answered. The crash listener may run on a hub server's request thread;
 * the simulation waits for each request, so the random draws stay in one order for a seed.
 */
public final class Faults {
    /** How a partial sync is cut short under {@link Fault#REORDER}. */
    public enum Partial {
        NONE,
        PULL_ONLY,
        PUSH_ONLY
    }

    private final Set<Fault> enabled;
    private final Random random;
    private final Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
    private volatile boolean armed;

    public Faults(Set<Fault> enabled, Random random) {
        this.enabled = Set.copyOf(enabled);
        this.random = random;
    }

    public void arm(boolean on) {
        armed = on;
    }

    /** Faults injected so far, by kind (every enabled kind present, zero when none). */
    public synchronized Map<Fault, Integer> injected() {
        Map<Fault, Integer> out = new EnumMap<>(Fault.class);
        enabled.forEach(f -> out.put(f, injected.getOrDefault(f, 0)));
        return out;
    }

    /** Injects {@code f} now, one time in {@code oneIn}, when it is enabled and armed; counted. */
    public boolean inject(Fault f, int oneIn) {
        return roll(f, oneIn);
    }

    /** One time in {@code oneIn}, when {@code f} is enabled and armed: a step that prepares a fault (a backup), not counted. */
    public synchronized boolean chance(Fault f, int oneIn) {
        return armed && enabled.contains(f) && random.nextInt(oneIn) == 0;
    }

    /** Whether {@code f} is enabled. */
    public boolean enabled(Fault f) {
        return enabled.contains(f);
    }

    private synchronized boolean roll(Fault f, int oneIn) {
        if (armed && enabled.contains(f) && random.nextInt(oneIn) == 0) {
            injected.merge(f, 1, Integer::sum);
            return true;
        }
        return false;
    }

    /** The apply listener of every node: under {@link Fault#CRASH}, sometimes throws in the middle of an apply. */
    public SyncEngine.ApplyListener crashListener() {
        return change -> {
            if (roll(Fault.CRASH, 40)) {
                throw new ShuttleException(ErrorCode.DATABASE, "crash in the middle of an apply (injected)");
            }
        };
    }

    /** A page size for the next sync: small and random under {@link Fault#REORDER}, else the default. */
    public int pageSize() {
        if (armed && enabled.contains(Fault.REORDER) && random.nextBoolean()) {
            return 1 + random.nextInt(5);
        }
        return SyncEngine.DEFAULT_PAGE;
    }

    /** Whether the next sync only pulls or only pushes, under {@link Fault#REORDER}. */
    public Partial partial() {
        if (roll(Fault.REORDER, 3)) {
            return random.nextBoolean() ? Partial.PULL_ONLY : Partial.PUSH_ONLY;
        }
        return Partial.NONE;
    }

    /** Wraps a transport with duplicated deliveries, lost acknowledgements and the partial mode. */
    public Transport wrap(Transport inner, Partial partial) {
        return new FaultyTransport(inner, partial);
    }

    private final class FaultyTransport extends ForwardingTransport {
        private final Partial partial;

        FaultyTransport(Transport inner, Partial partial) {
            super(inner);
            this.partial = partial;
        }

        @Override
        public PushResult push(String fromNode, List<Change> changes) {
            return faulty(() -> inner.push(fromNode, changes));
        }

        @Override
        public PreparedPush preparePush(String fromNode, List<Change> changes) {
            return () -> push(fromNode, changes);
        }

        @Override
        public PreparedPush preparePush(String fromNode, List<Change> changes, Standing standing) {
            return () ->
                    faulty(() -> inner.preparePush(fromNode, changes, standing).send()); // each delivery sent anew
        }

        /** A push delivered, perhaps twice, its answer perhaps lost. */
        private PushResult faulty(java.util.function.Supplier<PushResult> delivery) {
            if (partial == Partial.PULL_ONLY) {
                throw new ShuttleException(ErrorCode.TRANSPORT, "sync cut short after the pull (injected)");
            }
            PushResult r = delivery.get();
            if (roll(Fault.DUP, 4)) {
                r = delivery.get(); // the same batch delivered twice
            }
            if (roll(Fault.LOST_ACK, 4)) {
                throw new ShuttleException(
                        ErrorCode.TRANSPORT, "acknowledgement lost (injected)"); // hub committed, sender never heard
            }
            return r;
        }

        @Override
        public PullResult pull(String forNode, long since, int limit) {
            return faulty(since, () -> inner.pull(forNode, since, limit));
        }

        @Override
        public PullResult pull(String forNode, long since, int limit, Standing standing) {
            if (partial == Partial.PUSH_ONLY) {
                if (standing.restoredBackup() != null) {
                    // a restored backup's first pull is what tells the hub of the restore and brings back what it
                    // pushed after the backup: never cut short (the sync then pulls and pushes)
                    return inner.pull(forNode, since, limit, standing);
                }
                // the hub still sees the pull and answers with a ticket, which the device keeps: a device never
                // pushes without a pull of the same sync before (that pull is what fences a copy of it out)
                PullResult seen = inner.pull(forNode, since, limit, standing);
                return new PullResult(List.of(), since, false, false).withTicket(seen.ticket());
            }
            return faulty(since, () -> inner.pull(forNode, since, limit, standing));
        }

        @Override
        public java.util.Optional<PullResult> movedRows(
                String forNode, String table, long since, long after, int limit) {
            java.util.Optional<PullResult> r = inner.movedRows(forNode, table, since, after, limit);
            if (roll(Fault.LOST_ACK, 6)) {
                throw new ShuttleException(ErrorCode.TRANSPORT, "moved rows lost on the way (injected)");
            }
            return r;
        }

        private PullResult faulty(long since, java.util.function.Supplier<PullResult> delivery) {
            if (partial == Partial.PUSH_ONLY) {
                return new PullResult(List.of(), since, false, false); // nothing heard: the cursor stays where it is
            }
            PullResult r = delivery.get();
            if (roll(Fault.LOST_ACK, 6)) {
                throw new ShuttleException(ErrorCode.TRANSPORT, "response lost (injected)");
            }
            return r;
        }
    }
}
