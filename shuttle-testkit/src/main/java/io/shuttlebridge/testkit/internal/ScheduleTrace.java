package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.sync.KeyDigest;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.RowDiff;
import io.shuttlebridge.core.sync.RowSet;
import io.shuttlebridge.core.sync.Standing;
import io.shuttlebridge.core.sync.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a schedule did, step by step, kept when it fails: every statement a node ran for the workload and
 * every call a device made to its hub with what the hub answered (before faults: an answer a fault then
 * drops shows here, followed by the failed sync). On only when {@code -Dshuttle.trace=DIR} names a folder;
 * a failing schedule's trace is written there. Schedules run one per thread, so each thread keeps its own.
 * The trace is kept in memory and costs no I/O while the schedule runs, so it changes its timing little.
 */
public final class ScheduleTrace {
    private static final String DIR = System.getProperty("shuttle.trace");
    private static final ThreadLocal<StringBuilder> LINES = ThreadLocal.withInitial(StringBuilder::new);

    private ScheduleTrace() {}

    /** Whether schedules are traced. */
    public static boolean on() {
        return DIR != null && !DIR.isBlank();
    }

    /** A schedule starts on this thread: what an earlier one noted is forgotten. */
    public static void start() {
        if (on()) {
            LINES.get().setLength(0);
        }
    }

    /** Notes one line. */
    public static void note(String line) {
        if (on()) {
            LINES.get().append(line).append('\n');
        }
    }

    /** Writes this thread's trace to {@code name}.txt in the trace folder; empty when tracing is off. */
    public static Optional<Path> keep(String name) {
        if (!on()) {
            return Optional.empty();
        }
        try {
            Path file = Files.createDirectories(Path.of(DIR)).resolve(name + ".txt");
            Files.writeString(file, LINES.get());
            return Optional.of(file.toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException("writing the schedule's trace", e);
        }
    }

    /** {@code hub} with each call of {@code device} and its answer noted (itself when tracing is off). */
    public static Transport transport(String device, Transport hub) {
        return on() ? new Traced(device, hub) : hub;
    }

    private static String changes(List<Change> changes) {
        return changes.stream()
                .map(c -> c.table() + c.key() + " " + c.op() + " v" + c.version() + " " + c.values())
                .collect(Collectors.joining("; ", "[", "]"));
    }

    private static String page(PullResult r) {
        return "next=" + r.next() + (r.more() ? " more" : "") + (r.resyncRequired() ? " resync" : "")
                + (r.reconcile().isEmpty() ? "" : " reconcile=" + r.reconcile())
                + (r.movedIn().isEmpty() ? "" : " movedIn=" + r.movedIn()) + " " + changes(r.changes());
    }

    private static final class Traced extends ForwardingTransport {
        private final String device;

        Traced(String device, Transport inner) {
            super(inner);
            this.device = device;
        }

        @Override
        public PushResult push(String fromNode, List<Change> changes) {
            PushResult r = inner.push(fromNode, changes);
            note(device + " push " + changes(changes) + " -> " + r);
            return r;
        }

        @Override
        public PreparedPush preparePush(String fromNode, List<Change> changes, Standing standing) {
            PreparedPush p = inner.preparePush(fromNode, changes, standing);
            return () -> {
                PushResult r = p.send();
                note(device + " push " + changes(changes) + " -> " + r);
                return r;
            };
        }

        @Override
        public PullResult pull(String forNode, long since, int limit) {
            PullResult r = inner.pull(forNode, since, limit);
            note(device + " pull since=" + since + " limit=" + limit + " -> " + page(r));
            return r;
        }

        @Override
        public PullResult pull(String forNode, long since, int limit, Standing standing) {
            PullResult r = inner.pull(forNode, since, limit, standing);
            note(device + " pull since=" + since + " limit=" + limit + " -> " + page(r));
            return r;
        }

        @Override
        public PullResult snapshot(String forNode, long after, int limit, Set<String> tables) {
            PullResult r = inner.snapshot(forNode, after, limit, tables);
            note(device + " snapshot after=" + after + " of " + (tables == null ? "all" : tables) + " -> " + page(r));
            return r;
        }

        @Override
        public Optional<KeyDigest> rowDigest(String forNode, String table) {
            Optional<KeyDigest> r = inner.rowDigest(forNode, table);
            note(device + " digest " + table + " -> " + r.map(Object::toString).orElse("none"));
            return r;
        }

        @Override
        public Optional<RowDiff> rowDiff(String forNode, String table, RowSet have, int limit) {
            Optional<RowDiff> r = inner.rowDiff(forNode, table, have, limit);
            note(device + " diff " + table + " showing " + have.hashes().length + " rows -> "
                    + r.map(d -> changes(d.changes()) + " gone " + d.gone().length + (d.more() ? " more" : ""))
                            .orElse("none"));
            return r;
        }

        @Override
        public Optional<PullResult> movedRows(String forNode, String table, long since, long after, int limit) {
            Optional<PullResult> r = inner.movedRows(forNode, table, since, after, limit);
            note(device + " moved " + table + " since=" + since + " after=" + after + " -> "
                    + r.map(ScheduleTrace::page).orElse("none"));
            return r;
        }
    }
}
