package io.shuttlebridge.cli;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.Transport;
import io.shuttlebridge.server.HubServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code shuttle demo}: a hub and two devices on SQLite files in a temporary folder, edits on both
 * while offline, sync, a concurrent edit decided by last-writer-wins, a MANUAL conflict settled,
 * and the converged result. The hub serves the HTTP protocol on a free loopback port, as
 * {@code shuttle serve} does, and the devices reach it as {@code shuttle sync} would.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "A hub and two devices on SQLite in a temp folder: offline edits, sync, conflicts, convergence.")
public final class DemoCommand implements Callable<Integer> {
    private static final String[] SCHEMA = {
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT)",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customers(id), status TEXT NOT NULL)",
        "CREATE TABLE order_lines (order_id INTEGER NOT NULL REFERENCES orders(id), line INTEGER NOT NULL, item TEXT NOT NULL,"
                + " qty INTEGER NOT NULL, PRIMARY KEY (order_id, line))",
    };

    @Option(names = "--keep", description = "Keep the folder with the SQLite files and print where it is.")
    boolean keep;

    @Option(
            names = "--tenants",
            description = "Two users with their own tokens on a hub that takes JWTs: node binding and refusals.")
    boolean tenants;

    @Spec
    CommandSpec spec;

    private PrintWriter out;
    private int step;

    @Override
    public Integer call() throws Exception {
        out = spec.commandLine().getOut();
        Path dir = Files.createTempDirectory("shuttle-demo");
        Path hubFile = dir.resolve("hub.db");
        Path aFile = dir.resolve("device-a.db");
        Path bFile = dir.resolve("device-b.db");
        HubServer hubServer = null;
        try {
            if (tenants) {
                boolean converged = new TenantsDemo(out, dir).run();
                if (keep) {
                    out.println("kept: " + dir + " (hub.db, alice.db, bob.db)");
                }
                return converged ? 0 : 1;
            }
            for (Path f : List.of(hubFile, aFile, bFile)) {
                exec(f, SCHEMA);
            }
            say("Three SQLite databases with customers, orders and order lines: a hub and devices A and B.");
            try (ShuttleDatabase hubDb = enable(hubFile);
                    ShuttleDatabase aDb = enable(aFile);
                    ShuttleDatabase bDb = enable(bFile)) {
                SyncEngine hub = SyncEngine.open(hubDb);
                SyncEngine a = SyncEngine.open(aDb);
                SyncEngine b = SyncEngine.open(bDb);
                String token = UUID.randomUUID().toString();
                hubServer = HubServer.builder(hub)
                        .host("127.0.0.1")
                        .port(0)
                        .token(token)
                        .start();
                Transport toHub =
                        HttpTransport.builder(hubServer.url()).token(token).build();
                out.printf("   the hub listens on %s; the devices talk to it over HTTP%n", hubServer.url());

                say("Device A, offline, takes an order with plain SQL: two customers, one order, two lines.");
                exec(
                        aFile,
                        "INSERT INTO customers VALUES (1, 'Ada Lovelace', 'ada@example.org'), (2, 'Alan Turing', 'alan@example.org')",
                        "INSERT INTO orders VALUES (100, 1, 'open')",
                        "INSERT INTO order_lines VALUES (100, 1, 'notebook', 2), (100, 2, 'pencil', 10)");
                say("A syncs with the hub, then B syncs and receives everything, parents before children.");
                a.pullThenPush(toHub);
                var rb = b.pullThenPush(toHub);
                out.printf("   B applied %d changes%n", rb.applied());

                say("Both devices go offline and edit the same order: A ships it, B cancels it a moment later.");
                exec(aFile, "UPDATE orders SET status = 'shipped' WHERE id = 100");
                Thread.sleep(5);
                exec(bFile, "UPDATE orders SET status = 'cancelled' WHERE id = 100");
                say(
                        "Both also change Ada's e-mail. Customers use the MANUAL policy: such a conflict waits for a person.");
                exec(aFile, "UPDATE customers SET email = 'ada@work.example' WHERE id = 1");
                exec(bFile, "UPDATE customers SET email = 'ada@home.example' WHERE id = 1");

                say("They sync: orders are LWW, so the later edit (B's 'cancelled') wins everywhere.");
                a.pullThenPush(toHub);
                b.pullThenPush(toHub);
                a.pullThenPush(toHub);
                List<ConflictRecord> open = b.conflicts(true);
                say("B holds one open conflict; nothing was merged:");
                for (ConflictRecord c : open) {
                    out.printf(
                            "   conflict %d on %s%s: B wrote %s, the hub has %s%n",
                            c.id(),
                            c.table(),
                            c.key(),
                            c.localValues() == null
                                    ? "(deleted)"
                                    : c.localValues().get("email"),
                            c.remoteValues() == null
                                    ? "(deleted)"
                                    : c.remoteValues().get("email"));
                }
                if (open.size() != 1) {
                    throw new IllegalStateException("expected one conflict on device B, found " + open.size());
                }
                String[] resolve = {
                    "conflicts",
                    "resolve",
                    "--db",
                    bFile.toString(),
                    String.valueOf(open.get(0).id()),
                    "--take",
                    "local"
                };
                say(
                        "Someone settles it from the command line, keeping B's value; the settlement is an ordinary write:");
                out.println("   $ shuttle " + String.join(" ", resolve).replace(bFile.toString(), "device-b.db"));
                int code = Main.execute(
                        resolve,
                        new PrintWriter(new StringWriter()),
                        spec.commandLine().getErr());
                if (code != 0) {
                    throw new IllegalStateException("resolving the conflict failed with exit code " + code);
                }
                b.pullThenPush(toHub);
                a.pullThenPush(toHub);

                say("The converged result, identical on the hub and both devices:");
                String customers = table(hubFile, "SELECT id, name, email FROM customers ORDER BY id");
                String orders = table(hubFile, "SELECT id, customer_id, status FROM orders ORDER BY id");
                String lines = table(hubFile, "SELECT order_id, line, item, qty FROM order_lines ORDER BY 1, 2");
                out.print(customers);
                out.print(orders);
                out.print(lines);
                boolean converged = true;
                for (Path f : List.of(aFile, bFile)) {
                    converged &= customers.equals(table(f, "SELECT id, name, email FROM customers ORDER BY id"))
                            && orders.equals(table(f, "SELECT id, customer_id, status FROM orders ORDER BY id"))
                            && lines.equals(
                                    table(f, "SELECT order_id, line, item, qty FROM order_lines ORDER BY 1, 2"));
                }
                out.println(converged ? "converged: hub, device A and device B hold the same rows" : "NOT converged");
                out.flush();
                if (!converged) {
                    return 1;
                }
            }
            if (keep) {
                out.println("kept: " + dir + " (hub.db, device-a.db, device-b.db)");
            }
            return 0;
        } finally {
            if (hubServer != null) {
                hubServer.close();
            }
            if (!keep) {
                try (var paths = Files.walk(dir)) {
                    for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
    }

    private static ShuttleDatabase enable(Path file) {
        ShuttleDatabase db = ShuttleDatabase.sqlite(file);
        Capture.enable(
                db,
                CaptureOptions.builder()
                        .policy("customers", ConflictPolicy.MANUAL)
                        .build(),
                ProgressListener.NONE);
        return db;
    }

    private void say(String sentence) {
        out.printf("%n%d. %s%n", ++step, sentence);
        out.flush();
    }

    static void exec(Path file, String... sql) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            for (String q : sql) {
                s.execute(q);
            }
        }
    }

    /** Renders a query's result as an aligned text table. */
    static String table(Path file, String sql) throws Exception {
        List<String[]> rows = new ArrayList<>();
        String[] header;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            header = new String[n];
            for (int i = 0; i < n; i++) {
                header[i] = rs.getMetaData().getColumnLabel(i + 1);
            }
            while (rs.next()) {
                String[] r = new String[n];
                for (int i = 0; i < n; i++) {
                    r[i] = String.valueOf(rs.getObject(i + 1));
                }
                rows.add(r);
            }
        }
        int[] width = new int[header.length];
        for (int i = 0; i < header.length; i++) {
            width[i] = header[i].length();
            for (String[] r : rows) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, width);
        String[] rule = new String[header.length];
        for (int i = 0; i < header.length; i++) {
            rule[i] = "-".repeat(width[i]);
        }
        appendRow(sb, rule, width);
        for (String[] r : rows) {
            appendRow(sb, r, width);
        }
        return sb.append('\n').toString();
    }

    private static void appendRow(StringBuilder sb, String[] cells, int[] width) {
        sb.append("   ");
        for (int i = 0; i < cells.length; i++) {
            sb.append(String.format("%-" + width[i] + "s", cells[i])).append(i + 1 < cells.length ? "  " : "\n");
        }
    }
}
