package io.shuttlebridge.bench.hub;

import io.shuttlebridge.bench.Report;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.sync.PullResult;
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
 * gets a few changes per subject, then one new device per subject pulls them over HTTP on loopback,
 * each receiving only its subject's changes. Same-run baseline: the same number of devices pulling
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

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (subjects <= 0 || rowsPerSubject <= 0 || clients <= 0 || changesPerSubject <= 0) {
            throw new IllegalArgumentException(
                    "--subjects, --rows-per-subject, --changes-per-subject and --clients must be positive");
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
                .fact("clients", clients);
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
            try (BenchHub plain = BenchHub.start(pg, PAGE);
                    BenchHub filtered = BenchHub.start(pg, PAGE, SyncRules.parse(RULES, "bench rules"))) {
                pg.exec("ANALYZE");
                long before = plain.feedPosition();
                // the first changes-per-subject rows of every subject
                pg.exec("UPDATE item SET qty = qty + 1 WHERE (id - 1) / " + subjects + " < " + changesPerSubject);
                long after = plain.feedPosition();
                if (after - before != changes) {
                    throw new IllegalStateException(
                            "the hub's feed moved by " + (after - before) + ", expected " + changes);
                }
                List<String> plainTokens = tokens(plain);
                List<String> rulesTokens = tokens(filtered);
                // unmeasured: both hubs' serving paths compiled, as in hubs that have been running
                int warm = Math.min(subjects, 200);
                pulls(plain, plainTokens.subList(0, warm), after - changesPerSubject, changesPerSubject);
                pulls(filtered, rulesTokens.subList(0, warm), before, changesPerSubject);

                // batches of devices taken in turns, so that both kinds run under the same load of the machine
                double unfiltered = 0;
                double rules = 0;
                for (int from = 0; from < subjects; from += BATCH) {
                    int to = Math.min(subjects, from + BATCH);
                    unfiltered +=
                            pulls(plain, plainTokens.subList(from, to), after - changesPerSubject, changesPerSubject);
                    rules += pulls(filtered, rulesTokens.subList(from, to), before, changesPerSubject);
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
            }
        }
        report.print(spec.commandLine().getOut(), json);
        return 0;
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
     * One new device per token pulls from {@code since} to the end, {@code clients} at a time; each must
     * receive {@code expected} changes. Returns the seconds it took.
     */
    private double pulls(BenchHub hub, List<String> tokens, long since, int expected) throws Exception {
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
                        String node = UUID.randomUUID().toString();
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
