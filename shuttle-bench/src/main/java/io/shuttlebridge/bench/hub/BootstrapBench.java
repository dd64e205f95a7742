package io.shuttlebridge.bench.hub;

import io.shuttlebridge.bench.BenchFiles;
import io.shuttlebridge.bench.Report;
import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.TokenProvider;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.server.HubDatabases;
import io.shuttlebridge.server.rules.SyncRules;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Bootstrap throughput: a new SQLite device clones N rows from a PostgreSQL (or, with {@code --hub mariadb},
 * MariaDB) hub over HTTP on
 * loopback (lease, schema, snapshot pages applied and cursor advanced page by page). The device
 * runs as {@code shuttle clone} in a child JVM with {@code -Xmx256m} when the benchmark runs from
 * the shuttle jar (its time includes that JVM's start), otherwise in this JVM with its peak heap
 * reported. Same-run baselines: PostgreSQL {@code COPY} (MariaDB {@code LOAD DATA LOCAL INFILE}) of the same rows
 * into the hub table, and a
 * plain batched SQLite insert.
 *
 * <p>Run: {@code ./shuttle bench bootstrap --rows 1000000}
 */
@Command(
        name = "bootstrap",
        mixinStandardHelpOptions = true,
        description =
                "Rows/s of cloning a new device from a PostgreSQL or MariaDB hub over HTTP, against the database's bulk load"
                        + " (COPY, LOAD DATA) and a plain SQLite insert.")
public final class BootstrapBench implements Callable<Integer> {
    /** The hub's connections: {@code shuttle serve}'s default pool. */
    private static final int POOL = HubDatabases.DEFAULT_POOL;

    /** The hub's batch limit, and so the largest snapshot page it serves (a clone asks for pages of 10,000). */
    private static final int PAGE = 10_000;

    @Option(names = "--rows", defaultValue = "1000000", description = "Rows on the hub (default ${DEFAULT-VALUE}).")
    long rows;

    @Option(
            names = "--device-heap",
            defaultValue = "256m",
            description = "-Xmx of the device JVM (default ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--in-process", description = "Clone in this JVM instead of a child JVM.")
    boolean inProcess;

    @Option(
            names = "--hub-warmup",
            defaultValue = "200000",
            description =
                    "Snapshot rows the hub serves to this JVM before the clone, not measured, so the hub runs warm as a long-running "
                            + "hub does; the device JVM is new either way (default ${DEFAULT-VALUE}; 0 for a cold hub).")
    long hubWarmup;

    @Option(
            names = "--rules",
            description =
                    "Also clone through sync rules that let the device read 10%% of the rows (ten slots of id %% 100"
                            + " through a membership sub-select), from a second hub over the same database, then through"
                            + " the same rule over an indexed column holding the slot (another database), and compare rows"
                            + " delivered per second with the unfiltered clone, and with an unfiltered clone of as many rows"
                            + " as the rules let through (another database on the same server).")
    boolean rules;

    @Option(
            names = "--move-in",
            defaultValue = "0",
            paramLabel = "N",
            description = "With --rules: then grant the device's subject memberships that move about N more rows"
                    + " (whole slots of a hundredth of the rows) into its set, and time the one sync (in a new device"
                    + " JVM, as a clone) that brings them, then a clone of those rows alone by a new device of"
                    + " another subject (default ${DEFAULT-VALUE}: none).")
    long moveIn;

    @Option(
            names = "--repeat",
            defaultValue = "3",
            paramLabel = "N",
            description = "With --rules: clone through each rule, and the unfiltered clone of as many rows, N times"
                    + " (a new device each time) and report the median: a clone of 100,000 rows takes about a"
                    + " second, which a machine's passing load moves by a quarter (default ${DEFAULT-VALUE}).")
    int repeat;

    @Option(
            names = "--hub",
            defaultValue = "postgres",
            description = "The hub's database: postgres (embedded, or SHUTTLE_BENCH_PG_URL) or mariadb"
                    + " (SHUTTLE_BENCH_MARIADB_URL), its bulk load the baseline (default ${DEFAULT-VALUE}).")
    BenchHubDb.Kind hub;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    /**
     * The rules of --rules: ten slots in a hundred ({@link #SLOTS}), granted to the benchmark's subject through
     * a membership table; --move-in grants more.
     */
    static final String RULES = """
            version: 1
            tables:
              item:
                read: "id % 100 IN (SELECT slot FROM bench_member WHERE user_id = :sub)"
            """;

    /**
     * {@link #RULES} through a column that holds the slot, with an index ({@code item.slot = id % 100}), as a real
     * schema's membership rule goes through an indexed {@code project_id}.
     */
    static final String INDEXED_RULES = """
            version: 1
            tables:
              item:
                read: "slot IN (SELECT slot FROM bench_member WHERE user_id = :sub)"
            """;

    /** The slots the subject holds before --move-in: a tenth of the rows. */
    static final int FIRST_SLOT = 30;

    static final int SLOTS = 10;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (rows <= 0) {
            throw new IllegalArgumentException("--rows must be positive");
        }
        Path dir = Files.createTempDirectory("shuttle-bench-bootstrap");
        Report report = new Report("bootstrap").fact("rows", rows);
        try (BenchHubDb pg = BenchHubDb.start(hub, "bootstrap")) {
            report.fact(
                            "hub",
                            "HubServer over " + pg.where() + " (a pool of " + POOL
                                    + ", as shuttle serve opens it), HTTP on loopback")
                    .fact("auth", BenchHub.AUTH);
            pg.createItemTable("item");
            pg.createMembers(FIRST_SLOT, SLOTS);
            double copy;
            try (Connection c = pg.connect()) {
                copy = pg.bulkLoad(c, "item", 1, rows, 1);
            }
            double sqlite = BenchRows.sqliteBaseline(dir.resolve("plain.db"), rows);
            double unfilteredRate;
            try (BenchHub hub = BenchHub.start(pg, PAGE, null, POOL)) {
                if (hubWarmup > 0) {
                    warmUp(hub, hubWarmup);
                }
                report.fact("hubWarmupRows", hubWarmup)
                        .fact(
                                "answers",
                                HttpTransport.Compression.AUTO.gzip(URI.create(hub.url()))
                                        ? "gzip"
                                        : "uncompressed (the hub is on loopback)");
                Path device = dir.resolve("device.db");
                double clone = cloneOnce(hub, device, dir, report);
                unfilteredRate = rows / clone;
                long cloned = count(device);
                if (cloned != rows) {
                    throw new IllegalStateException(
                            "the device holds " + cloned + " rows after the clone, expected " + rows);
                }
                report.measure(pg.bulkName() + " (baseline)", rows, copy)
                        .measure("SQLite batched insert (baseline)", rows, sqlite)
                        .measure("clone over HTTP", rows, clone)
                        .fact("cloneVs" + pg.bulkKey(), copy / clone)
                        .fact("cloneVsSqliteInsert", sqlite / clone)
                        .fact("target", "clone >= 100,000 rows/s: " + (rows / clone >= 100_000 ? "met" : "missed"));
            }
            if (moveIn > 0 && !rules) {
                throw new IllegalArgumentException("--move-in needs --rules");
            }
            if (repeat < 1) {
                throw new IllegalArgumentException("--repeat must be at least 1, got " + repeat);
            }
            if (rules) {
                long delivered = slotRows(FIRST_SLOT, SLOTS);
                double seconds;
                try (BenchHub filtered = BenchHub.start(pg, PAGE, SyncRules.parse(RULES, "bench rules"), POOL)) {
                    if (hubWarmup > 0) {
                        warmUp(filtered, hubWarmup);
                    }
                    Path device = dir.resolve("device-rules.db");
                    seconds = medianClone(filtered, device, dir, delivered, "rules", report);
                    report.measure("clone through rules (10% readable)" + median(), delivered, seconds)
                            .fact("rulesDeliveredVsUnfiltered", delivered / seconds / unfilteredRate)
                            .fact(
                                    "rulesTarget",
                                    "delivered rows/s >= 0.8 of the unfiltered clone: "
                                            + (delivered / seconds >= 0.8 * unfilteredRate ? "met" : "missed"));
                    if (moveIn > 0) {
                        moveIn(pg, filtered, device, dir, delivered, delivered / seconds, unfilteredRate, report, "");
                    }
                }
                // the same rows with the slot in an indexed column of their own, in another database on the same server
                try (BenchHubDb indexed = pg.another("indexed")) {
                    indexed.createItemTable("item");
                    indexed.createMembers(FIRST_SLOT, SLOTS);
                    try (Connection c = indexed.connect()) {
                        indexed.bulkLoad(c, "item", 1, rows, 1);
                    }
                    indexed.addSlotColumn("item");
                    try (BenchHub hub =
                            BenchHub.start(indexed, PAGE, SyncRules.parse(INDEXED_RULES, "bench rules"), POOL)) {
                        if (hubWarmup > 0) {
                            warmUp(hub, hubWarmup);
                        }
                        Path device = dir.resolve("device-indexed.db");
                        double through = medianClone(hub, device, dir, delivered, "rulesIndexed", report);
                        report.measure(
                                        "clone through rules, slot in an indexed column (10% readable)" + median(),
                                        delivered,
                                        through)
                                .fact("rulesIndexedDeliveredVsUnfiltered", delivered / through / unfilteredRate)
                                .fact(
                                        "rulesIndexedTarget",
                                        "delivered rows/s >= 0.8 of the unfiltered clone: "
                                                + (delivered / through >= 0.8 * unfilteredRate ? "met" : "missed"));
                        if (moveIn > 0) {
                            moveIn(
                                    indexed,
                                    hub,
                                    device,
                                    dir,
                                    delivered,
                                    delivered / through,
                                    unfilteredRate,
                                    report,
                                    "Indexed");
                        }
                    }
                }
                // a new device's first pages run while its JVM starts and compiles: an unfiltered clone of as many
                // rows as the rules let through (another database on the same server) pays that as the rules' does
                try (BenchHubDb small = pg.another("same_rows")) {
                    small.createItemTable("item");
                    try (Connection c = small.connect()) {
                        small.bulkLoad(c, "item", 1, delivered, 1);
                    }
                    try (BenchHub plain = BenchHub.start(small, PAGE, null, POOL)) {
                        if (hubWarmup > 0) {
                            warmUp(plain, hubWarmup);
                        }
                        double same =
                                medianClone(plain, dir.resolve("device-same.db"), dir, delivered, "sameRows", report);
                        report.measure("clone over HTTP of as many rows, without rules" + median(), delivered, same)
                                .fact("rulesDeliveredVsUnfilteredSameRows", same / seconds);
                    }
                }
            }
        } finally {
            BenchFiles.deleteTree(dir);
        }
        report.print(spec.commandLine().getOut(), json);
        return 0;
    }

    /**
     * The median seconds of {@link #repeat} clones from {@code hub} (each into a new device; {@code device} is the
     * last), each checked to hold {@code expected} rows; the spread is reported as fact
     * {@code key + "Seconds"}.
     */
    private double medianClone(BenchHub hub, Path device, Path dir, long expected, String key, Report report)
            throws Exception {
        int n = repeat;
        double[] seconds = new double[n];
        for (int i = 0; i < n; i++) {
            Path into = i == n - 1 ? device : dir.resolve(key + "-" + i + ".db");
            seconds[i] = cloneOnce(hub, into, dir, new Report("unused"));
            long held = count(into);
            if (held != expected) {
                throw new IllegalStateException(
                        "the device of '" + key + "' holds " + held + " rows, expected " + expected);
            }
        }
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        report.fact(
                key + "Seconds",
                Arrays.stream(seconds).mapToObj(s -> String.format("%.3f", s)).collect(Collectors.joining(" ")));
        return sorted[n / 2];
    }

    /** What a measurement's name says of its repetitions. */
    private String median() {
        return repeat > 1 ? " (median of " + repeat + ")" : "";
    }

    /** How many of the rows 1..rows fall in the {@code n} slots from {@code first} ({@code id % 100}). */
    private long slotRows(int first, int n) {
        long out = 0;
        for (int slot = first; slot < first + n; slot++) {
            int s = slot % 100;
            out += rows / 100 + (s != 0 && s <= rows % 100 ? 1 : 0);
        }
        return out;
    }

    /**
     * Grants the subject the slots after its first ones that hold about {@link #moveIn} rows, then times the
     * one sync of {@code device} (holding {@code held} rows) that moves them in: a new device JVM, as the
     * clone's, whose pull is answered with the table to reconcile, which it compares with its own by digest
     * and then takes the table's snapshot of.
     */
    private void moveIn(
            BenchHubDb pg,
            BenchHub hub,
            Path device,
            Path dir,
            long held,
            double cloneRate,
            double unfilteredRate,
            Report report,
            String variant)
            throws Exception {
        int slots = (int) Math.max(1, Math.round(moveIn / (rows / 100.0)));
        if (FIRST_SLOT + SLOTS + slots > 100) {
            throw new IllegalArgumentException("--move-in " + moveIn + " is more than the " + (100 - FIRST_SLOT - SLOTS)
                    + " free slots of " + (rows / 100) + " rows hold");
        }
        long moved = slotRows(FIRST_SLOT + SLOTS, slots);
        pg.addMembers(FIRST_SLOT + SLOTS, slots);
        Optional<Path> jar = inProcess ? Optional.empty() : DeviceJvm.ownJar();
        long t0 = System.nanoTime();
        String out;
        if (jar.isPresent()) {
            out = DeviceJvm.run(
                    jar.get(), heap, dir, "sync", "--db", device.toString(), "--token", hub.token(), "--json");
        } else {
            try (ShuttleDatabase db = ShuttleDatabase.sqlite(device)) {
                var r = io.shuttlebridge.core.sync.SyncEngine.open(db).pullThenPush(hub.transport());
                out = "{\"pulled\":" + r.pulled() + ",\"applied\":" + r.applied() + "}";
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long now = count(device);
        if (now != held + moved) {
            throw new IllegalStateException(
                    "the device holds " + now + " rows after the move-in, expected " + (held + moved));
        }
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("\"pulled\":(\\d+)").matcher(out);
        long transferred = m.find() ? Long.parseLong(m.group(1)) : -1;
        report.measure(
                        "move-in through rules" + (variant.isEmpty() ? "" : ", slot in an indexed column") + " (" + held
                                + " rows held), one sync",
                        moved,
                        seconds)
                .fact("moveIn" + variant + "RowsSent", transferred)
                .fact("moveIn" + variant + "VsRulesClone", moved / seconds / cloneRate)
                .fact("moveIn" + variant + "VsUnfiltered", moved / seconds / unfilteredRate);
        // the same rows bootstrapped: a new device of a subject whose memberships let in exactly the moved rows
        pg.addMembers(SAME_ROWS_SUBJECT, FIRST_SLOT + SLOTS, slots);
        Path fresh = dir.resolve("device-moved-rows" + variant + ".db");
        double clone = cloneOnce(hub, hub.token(SAME_ROWS_SUBJECT), fresh, dir, new Report("unused"));
        if (count(fresh) != moved) {
            throw new IllegalStateException(
                    "the device of the moved rows alone holds " + count(fresh) + " rows, expected " + moved);
        }
        report.measure(
                        "clone through rules of the moved rows alone" + (variant.isEmpty() ? "" : ", indexed"),
                        moved,
                        clone)
                .fact("moveIn" + variant + "VsCloneOfSameRows", clone / seconds)
                // the one sync above brought every moved row (counted): were they as fast to come as a bootstrap of
                // them?
                .fact(
                        "moveIn" + variant + "Target",
                        "in one sync, at least the rows/s of bootstrapping the same rows: "
                                + (clone >= seconds ? "met" : "missed"));
    }

    /** The subject of the clone that bootstraps as many rows as the move-in moves (the moved rows themselves). */
    static final String SAME_ROWS_SUBJECT = "bench-moved";

    /** Clones {@code device} from {@code hub} as configured (child JVM or this one) and returns the seconds it took. */
    private double cloneOnce(BenchHub hub, Path device, Path dir, Report report) throws Exception {
        return cloneOnce(hub, hub.token(), device, dir, report);
    }

    /** {@link #cloneOnce(BenchHub, Path, Path, Report)} as the subject of {@code token}. */
    private double cloneOnce(BenchHub hub, String token, Path device, Path dir, Report report) throws Exception {
        Optional<Path> jar = inProcess ? Optional.empty() : DeviceJvm.ownJar();
        long t0 = System.nanoTime();
        long heapPeak = -1;
        if (jar.isPresent()) {
            DeviceJvm.run(
                    jar.get(),
                    heap,
                    dir,
                    "clone",
                    "--hub",
                    hub.url(),
                    "--db",
                    device.toString(),
                    "--token",
                    token,
                    "--json");
            report.fact("device", "shuttle clone in a child JVM, -Xmx" + heap + " (time includes its start)")
                    .fact(
                            "deviceAotCache",
                            DeviceJvm.aotCache(jar.get())
                                    .map(p -> "yes (" + p.getFileName() + ", made by the launcher)")
                                    .orElse("no"));
        } else {
            resetPeaks();
            try (ShuttleDatabase db = ShuttleDatabase.sqlite(device)) {
                DeviceClone.run(db, hub.transport(TokenProvider.of(token)), ProgressListener.NONE);
            }
            heapPeak = heapPeakMb();
            report.fact(
                    "device", "in this JVM (max heap " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB)");
            report.fact("heapPeakMb", heapPeak);
        }
        double clone = (System.nanoTime() - t0) / 1e9;
        return clone;
    }

    /**
     * Serves the first {@code n} rows of the snapshot to this JVM, which reads and discards them: the
     * hub's serving path is compiled, as in a hub that has been running, while the device stays a new JVM.
     */
    private static void warmUp(BenchHub hub, long n) throws Exception {
        HttpTransport http = hub.transport();
        String node = UUID.randomUUID().toString(); // a reader the hub does not track
        long after = 0;
        long served = 0;
        while (served < n) {
            PullResult page = http.snapshotPage(node, after, PAGE).page();
            served += page.changes().size();
            after = page.next();
            if (!page.more()) {
                break;
            }
        }
    }

    private static long count(Path file) throws Exception {
        try (Connection c = BenchFiles.open(file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM item")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * Starts the heap pools' peaks afresh. No full collection first (as there was): the collector then shrank the heap
     * to what was live (some 70 MB), and a clone of a second that started in such a heap spent a good part of it
     * collecting while the heap grew back (up to ten young collections a second), besides the collection's own
     * 30-60 ms, both inside the time measured.
     */
    private static void resetPeaks() {
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
    }

    private static long heapPeakMb() {
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        return peak / (1024 * 1024);
    }
}
