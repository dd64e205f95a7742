package io.shuttlebridge.bench.hub;

import io.shuttlebridge.bench.Report;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.server.HubDatabases;
import io.shuttlebridge.server.rules.SyncRules;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Pulls of many devices of different subjects through sync rules: N subjects each read their own
 * rows of one table (through a membership sub-select, as DESIGN §9's example does), the hub's table
 * gets a few changes per subject, then one device per subject, which took its snapshot before the
 * changes (unmeasured, as a cloned device has), pulls them over HTTP on loopback, each receiving only
 * its subject's changes. Same-run baseline: the same number of devices pulling
 * the same number of changes each from a hub without rules over the same database (each asks from
 * the feed position its changes start at). The two kinds take turns, fifty devices at a time, so that
 * both run under the same load. Reported as rows delivered per second, and their ratio.
 *
 * <p>Run: {@code ./shuttle bench pull --subjects 1000}
 */
@Command(
        name = "pull",
        mixinStandardHelpOptions = true,
        description =
                "Rows/s of pulls of many devices of different subjects through sync rules, against pulls without.")
public final class PullBench implements Callable<Integer> {
    private static final int PAGE = 10_000;
    /** Devices measured in a row of one kind before the other kind's turn. */
    private static final int BATCH = 50;

    /** Each subject reads the rows of the owners granted to it: its own. */
    static final String RULES = """
            version: 1
            tables:
              item:
                read: "owner IN (SELECT owner FROM bench_grant WHERE user_id = :sub)"
            """;

    @Option(
            names = "--subjects",
            defaultValue = "1000",
            description = "Subjects, one device each (default ${DEFAULT-VALUE}).")
    int subjects;

    @Option(
            names = "--rows-per-subject",
            defaultValue = "100",
            description = "Rows each subject may read (default ${DEFAULT-VALUE}).")
    int rowsPerSubject;

    @Option(
            names = "--changes-per-subject",
            defaultValue = "10",
            description = "Rows changed on the hub per subject, which its device pulls (default ${DEFAULT-VALUE}).")
    int changesPerSubject;

    @Option(
            names = "--clients",
            defaultValue = "4",
            description = "Devices pulling at the same time (default ${DEFAULT-VALUE}).")
    int clients;

    @Option(
            names = "--pool",
            defaultValue = "" + HubDatabases.DEFAULT_POOL,
            description = "Connections of each hub to its database, as shuttle serve --pool opens them"
                    + " (default ${DEFAULT-VALUE}, as serve's).")
    int pool;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (subjects <= 0 || rowsPerSubject <= 0 || clients <= 0 || changesPerSubject <= 0 || pool <= 0) {
            throw new IllegalArgumentException(
                    "--subjects, --rows-per-subject, --changes-per-subject, --clients and --pool must be positive");
        }
        if (changesPerSubject > rowsPerSubject) {
            throw new IllegalArgumentException("--changes-per-subject must not exceed --rows-per-subject");
        }
        long rows = (long) subjects * rowsPerSubject;
        long changes = (long) subjects * changesPerSubject;
        Report report = new Report("pull")
                .fact("subjects", subjects)
                .fact("rows", rows)
                .fact("changedRows", changes)
                .fact("clients", clients)
                .fact("pool", pool);
        try (BenchPostgres pg = BenchPostgres.start("pull")) {
            report.fact("hub", "HubServer over " + pg.where() + ", HTTP on loopback")
                    .fact("auth", BenchHub.AUTH);
            pg.exec(
                    "CREATE TABLE item (id BIGINT PRIMARY KEY, owner TEXT NOT NULL, sku TEXT NOT NULL, name TEXT,"
                            + " qty INTEGER NOT NULL, price NUMERIC(10,2))",
                    "CREATE INDEX item_owner ON item (owner)",
                    "CREATE TABLE bench_grant (user_id TEXT NOT NULL, owner TEXT NOT NULL, PRIMARY KEY (user_id, owner))",
                    "INSERT INTO bench_grant SELECT 'u' || i, 'o' || i FROM generate_series(0, " + (subjects - 1)
                            + ") i",
                    "INSERT INTO item SELECT i, 'o' || ((i - 1) % " + subjects
                            + "), 'SKU-' || i, 'item ' || i, i % 100," + " (i % 1000) / 10.0 FROM generate_series(1, "
                            + rows + ") i");
            byte[] secret = new byte[48];
            new java.security.SecureRandom().nextBytes(secret);
            try (BenchHub plain = BenchHub.start(pg.url(), PAGE, null, secret, pool);
                    BenchHub filtered =
                            BenchHub.start(pg.url(), PAGE, SyncRules.parse(RULES, "bench rules"), secret, pool)) {
                pg.exec("ANALYZE");
                List<String> plainTokens = tokens(plain);
                List<String> rulesTokens = tokens(filtered);
                // each device through rules has taken its snapshot, as a device does when it is cloned: its pulls
                // then go on from what it holds (a device that never took one is told to reconcile every table)
                List<String> rulesNodes = snapshots(filtered, rulesTokens);
                long before = plain.feedPosition();
                // the first changes-per-subject rows of every subject
                pg.exec("UPDATE item SET qty = qty + 1 WHERE (id - 1) / " + subjects + " < " + changesPerSubject);
                long after = plain.feedPosition();
                if (after - before != changes) {
                    throw new IllegalStateException(
                            "the hub's feed moved by " + (after - before) + ", expected " + changes);
                }
                // unmeasured: both hubs' serving paths compiled, as in hubs that have been running
                int warm = Math.min(subjects, 200);
                pulls(plain, plainTokens.subList(0, warm), null, after - changesPerSubject, changesPerSubject);
                pulls(filtered, rulesTokens.subList(0, warm), rulesNodes.subList(0, warm), before, changesPerSubject);

                // batches of devices taken in turns, so that both kinds run under the same load of the machine
                double unfiltered = 0;
                double rules = 0;
                for (int from = 0; from < subjects; from += BATCH) {
                    int to = Math.min(subjects, from + BATCH);
                    unfiltered += pulls(
                            plain, plainTokens.subList(from, to), null, after - changesPerSubject, changesPerSubject);
                    rules += pulls(
                            filtered,
                            rulesTokens.subList(from, to),
                            rulesNodes.subList(from, to),
                            before,
                            changesPerSubject);
                }
                double ratio = (changes / rules) / (changes / unfiltered);
                report.measure(
                                "pull without rules (" + subjects + " devices x " + changesPerSubject + " rows)",
                                changes,
                                unfiltered)
                        .measure("pull through rules (" + subjects + " subjects, own rows each)", changes, rules)
                        .fact("rulesDeliveredVsUnfiltered", ratio)
                        .fact(
                                "target",
                                "delivered rows/s through rules >= 0.5 of those without (within 2x per row): "
                                        + (ratio >= 0.5 ? "met" : "missed"));
                wakeUps(pg, filtered, rulesTokens, rulesNodes, report);
            }
        }
        report.print(spec.commandLine().getOut(), json);
        return 0;
    }

    /**
     * Wake-ups: every device has pulled to the end; one row of the first subject changes, and every device
     * pulls from there as its stream would have woken it (the hub's stream tells every device of every
     * advance of a table some device reads), then reconciles the table when the answer asks it to, as a
     * device does: a digest of the table's rows it may read. Reports how many pulls brought nothing (wasted
     * wake-ups) and what they cost, against the one that brought the change.
     */
    private void wakeUps(BenchPostgres pg, BenchHub hub, List<String> tokens, List<String> nodes, Report report)
            throws Exception {
        long at = hub.feedPosition();
        pg.exec("UPDATE item SET qty = qty + 1 WHERE id = 1"); // a row of subject u0
        long now = hub.feedPosition();
        ThreadLocal<String> current = new ThreadLocal<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long[] pullNanos = new long[tokens.size()];
        long[] digestNanos = new long[tokens.size()];
        int[] got = new int[tokens.size()];
        long t0;
        double seconds;
        try {
            List<HttpTransport> transports = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                transports.add(hub.transport(current::get));
            }
            t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                HttpTransport http = transports.get(t);
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < tokens.size(); i += clients) {
                        current.set(tokens.get(i));
                        long p0 = System.nanoTime();
                        PullResult page = http.pull(nodes.get(i), at, PAGE);
                        pullNanos[i] = System.nanoTime() - p0;
                        got[i] = page.changes().size();
                        if (page.next() < now) {
                            throw new IllegalStateException("device " + i + " was not brought to " + now);
                        }
                        long d0 = System.nanoTime();
                        for (String table : page.reconcile()) {
                            http.rowDigest(nodes.get(i), table);
                        }
                        digestNanos[i] = page.reconcile().isEmpty() ? -1 : System.nanoTime() - d0;
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            seconds = (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
        }
        if (got[0] != 1) {
            throw new IllegalStateException("the first subject's device pulled " + got[0] + " changes, expected 1");
        }
        List<Long> wasted = new ArrayList<>();
        List<Long> digests = new ArrayList<>();
        for (int i = 1; i < tokens.size(); i++) {
            if (got[i] != 0) {
                throw new IllegalStateException("device " + i + " pulled " + got[i] + " changes of another subject");
            }
            wasted.add(pullNanos[i]);
            if (digestNanos[i] >= 0) {
                digests.add(digestNanos[i]);
            }
        }
        report.fact("wakeUpDevices", tokens.size())
                .fact("wakeUpWastedPulls", wasted.size())
                .fact("wakeUpWastedPullMsP50", ms(wasted, 0.5))
                .fact("wakeUpWastedPullMsP99", ms(wasted, 0.99))
                .fact("wakeUpUsefulPullMs", pullNanos[0] / 1e6)
                .fact("wakeUpWastedDigests", digests.size())
                .fact("wakeUpWastedDigestMsP50", ms(digests, 0.5))
                .fact("wakeUpWastedDigestMsP99", ms(digests, 0.99))
                .fact("wakeUpAllSeconds", seconds)
                .fact(
                        "wakeUpBound",
                        "each stream has at most one notification in flight and one waiting: a device makes at most"
                                + " one pull (and a digest per table it is asked to reconcile) per notification it"
                                + " hears");
    }

    private static double ms(List<Long> nanos, double q) {
        if (nanos.isEmpty()) {
            return 0;
        }
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(q * sorted.size()))) / 1e6;
    }

    /** A token of each subject for {@code hub}. */
    private List<String> tokens(BenchHub hub) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < subjects; i++) {
            out.add(hub.token("u" + i));
        }
        return out;
    }

    /**
     * For each token, a device that takes its snapshot from {@code hub} to the end, {@code clients} at a
     * time; returns their node ids.
     */
    private List<String> snapshots(BenchHub hub, List<String> tokens) throws Exception {
        ThreadLocal<String> current = new ThreadLocal<>();
        String[] nodes = new String[tokens.size()];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                HttpTransport http = hub.transport(current::get);
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < tokens.size(); i += clients) {
                        current.set(tokens.get(i));
                        String node = UUID.randomUUID().toString();
                        long after = 0;
                        while (true) {
                            PullResult page = http.snapshot(node, after, PAGE);
                            after = page.next();
                            if (!page.more()) {
                                break;
                            }
                        }
                        nodes[i] = node;
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return List.of(nodes);
    }

    /**
     * One device per token pulls from {@code since} to the end, {@code clients} at a time, as the node of
     * {@code nodes} at the same index (null: a new node each); each must receive {@code expected}
     * changes. Returns the seconds it took.
     */
    private double pulls(BenchHub hub, List<String> tokens, List<String> nodes, long since, int expected)
            throws Exception {
        ThreadLocal<String> current = new ThreadLocal<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicLong delivered = new AtomicLong();
        try {
            List<HttpTransport> transports = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                transports.add(hub.transport(current::get));
            }
            long t0 = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < clients; t++) {
                HttpTransport http = transports.get(t);
                int first = t;
                done.add(pool.submit(() -> {
                    for (int i = first; i < tokens.size(); i += clients) {
                        current.set(tokens.get(i));
                        String node = nodes == null ? UUID.randomUUID().toString() : nodes.get(i);
                        long at = since;
                        int got = 0;
                        while (true) {
                            PullResult page = http.pull(node, at, PAGE);
                            got += page.changes().size();
                            at = page.next();
                            if (!page.more()) {
                                break;
                            }
                        }
                        if (got != expected) {
                            throw new IllegalStateException(
                                    "device " + i + " pulled " + got + " changes, expected " + expected);
                        }
                        delivered.addAndGet(got);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
            return (System.nanoTime() - t0) / 1e9;
        } finally {
            pool.shutdownNow();
        }
    }
}
