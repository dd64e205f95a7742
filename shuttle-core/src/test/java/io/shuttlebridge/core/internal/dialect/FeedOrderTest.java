package io.shuttlebridge.core.internal.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.DatabaseException;
import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.feed.FeedReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Writers whose transactions commit in another order than they logged (and folded) their writes,
 * and pullers reading the feed after their cursor at the same time: every puller must end up with
 * every write, in increasing seq order, without ever skipping one. On PostgreSQL, and on MariaDB (InnoDB)
 * with the writers' sessions at its default isolation, REPEATABLE READ.
 */
class FeedOrderTest {
    private static final int WRITERS = 6;
    private static final int WRITES_PER_WRITER = 60;
    private static final int PULLERS = 3;

    @ParameterizedTest
    @ValueSource(strings = {"postgresql", "mariadb"})
    void pullersNeverSkipChangesCommittedOutOfSeqOrder(String product) throws Exception {
        boolean maria = product.equals("mariadb");
        String url = maria ? MariaDb.freshDatabase() : Postgres.freshDatabase();
        if (maria) {
            MariaDb.exec(url, "CREATE TABLE item (id bigint PRIMARY KEY, writer integer, note text)");
        } else {
            Postgres.exec(url, "CREATE TABLE item (id bigint PRIMARY KEY, writer integer, note text)");
        }
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
        }
        long seed = System.nanoTime();
        System.out.println("FeedOrderTest " + product + " seed " + seed);
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS + PULLERS);
        AtomicBoolean writing = new AtomicBoolean(true);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                writers.add(pool.submit(() -> write(url, maria, writer, new Random(seed + writer))));
            }
            List<Future<List<FeedEntry>>> pullers = new ArrayList<>();
            for (int p = 0; p < PULLERS; p++) {
                pullers.add(pool.submit(() -> pull(url, writing)));
            }
            for (Future<?> f : writers) {
                f.get();
            }
            writing.set(false);
            Set<Long> all = new TreeSet<>();
            for (long w = 0; w < WRITERS; w++) {
                for (long i = 0; i < WRITES_PER_WRITER; i++) {
                    all.add(w * 1_000_000 + i);
                }
            }
            for (Future<List<FeedEntry>> f : pullers) {
                List<FeedEntry> pulled = f.get();
                assertThat(pulled).extracting(FeedEntry::seq).isSorted().doesNotHaveDuplicates();
                assertThat(pulled.stream()
                                .map(e -> (Long) e.change().key().get(0))
                                .toList())
                        .as("a puller saw every change (%s, seed %d)", product, seed)
                        .containsExactlyInAnyOrderElementsOf(all);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Each transaction logs a write, folds it (taking its feed seq, as a hub's push does), and commits a
     * little later. On MariaDB the fold is the engine's own, on a session at REPEATABLE READ.
     */
    private static Void write(String url, boolean maria, int writer, Random random) throws Exception {
        Dialect dialect = Dialects.forUrl(url);
        try (Connection c = maria ? mariaDbSession(url, dialect) : Postgres.connect(url);
                PreparedStatement insert =
                        c.prepareStatement("INSERT INTO item (id, writer, note) VALUES (?, ?, 'w')");
                Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            for (int i = 0; i < WRITES_PER_WRITER; i++) {
                for (int attempt = 1; ; attempt++) {
                    try {
                        insert.setLong(1, writer * 1_000_000L + i);
                        insert.setInt(2, writer);
                        insert.executeUpdate();
                        if (random.nextBoolean()) {
                            if (maria) {
                                dialect.capture().fold(c);
                            } else {
                                s.executeQuery("SELECT _shuttle_fold()").close();
                            }
                        }
                        Thread.sleep(random.nextInt(4));
                        c.commit();
                        break;
                    } catch (SQLException e) {
                        // an InnoDB deadlock between two folds: rolled back whole and run again, as a hub's push is
                        c.rollback();
                        if (!DatabaseException.classify(e).transientFailure() || attempt == 5) {
                            throw e;
                        }
                        System.out.println("FeedOrderTest: a write lost a race, again: " + e.getMessage());
                    }
                }
            }
        }
        return null;
    }

    private static Connection mariaDbSession(String url, Dialect dialect) throws java.sql.SQLException {
        Connection c =
                dialect.session(java.sql.DriverManager.getConnection(url, ShuttleDatabase.driverProperties(url)));
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        return c;
    }

    /**
     * A page of the feed, read again when its transaction lost a race in the database (an InnoDB deadlock
     * between the reader's fold and a writer's): what a hub answers as unavailable for a moment and its
     * client retries.
     */
    private static FeedReader.Page readPage(ShuttleDatabase db, long after) {
        for (int attempt = 1; ; attempt++) {
            try {
                return db.transaction(c -> new FeedReader(Dialects.of(db), SyncSchema.load(c, Dialects.of(db)))
                        .read(c, FeedReader.Query.after(after, 17)));
            } catch (DatabaseException e) {
                if (!e.failure().transientFailure() || attempt == 5) {
                    throw e;
                }
                System.out.println("FeedOrderTest: a read lost a race, again: " + e.getMessage());
            }
        }
    }

    private static List<FeedEntry> pull(String url, AtomicBoolean writing) {
        List<FeedEntry> got = new ArrayList<>();
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            long cursor = 0;
            while (true) {
                boolean last = !writing.get();
                long after = cursor;
                FeedReader.Page page = readPage(db, after);
                got.addAll(page.entries());
                cursor = page.lastSeq();
                if (last && !page.more()) {
                    return got;
                }
            }
        }
    }
}
