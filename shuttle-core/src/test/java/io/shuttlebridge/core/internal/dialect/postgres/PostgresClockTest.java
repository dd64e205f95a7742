package io.shuttlebridge.core.internal.dialect.postgres;

import static io.shuttlebridge.core.Postgres.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.sync.Cluster;
import io.shuttlebridge.core.sync.InProcessTransport;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL hub whose engine runs on a clock a day ahead of the database server's: applying a
 * push moves the hub's clock row to the engine's clock in the statement that writes the feed entries,
 * so writes made on the hub afterwards are stamped after it, while a write logged before keeps the
 * server's time it was made at.
 */
class PostgresClockTest {
    @TempDir
    Path dir;

    @Test
    void applyingAPushMovesTheClockRowToTheEnginesClockWithoutRestampingEarlierWrites() {
        long ahead = System.currentTimeMillis() + 86_400_000;
        String url = Postgres.freshDatabase();
        exec(
                url,
                "CREATE TABLE customer (id bigint PRIMARY KEY, name text, city text, referred_by bigint REFERENCES customer(id))",
                "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customer(id), total bigint, note text)");
        Path deviceFile = dir.resolve("device.db");
        SqliteFiles.exec(deviceFile, Cluster.SCHEMA);
        try (ShuttleDatabase hubDb = ShuttleDatabase.open(url);
                ShuttleDatabase deviceDb = ShuttleDatabase.sqlite(deviceFile)) {
            Capture.enable(hubDb, CaptureOptions.allTables(), ProgressListener.NONE);
            Capture.enable(deviceDb, CaptureOptions.allTables(), ProgressListener.NONE);
            SyncEngine hub = SyncEngine.builder(hubDb).clock(() -> ahead).build();
            SyncEngine device = SyncEngine.open(deviceDb);

            long before = System.currentTimeMillis();
            exec(url, "INSERT INTO customer VALUES (1, 'logged before', NULL, NULL)");
            long after = System.currentTimeMillis();
            SqliteFiles.exec(deviceFile, "INSERT INTO customer VALUES (2, 'pushed', NULL, NULL)");
            assertThat(device.pullThenPush(new InProcessTransport(hub)).pushed())
                    .isEqualTo(1);
            exec(url, "INSERT INTO customer VALUES (3, 'written after', NULL, NULL)");

            assertThat(Hlc.millis(entry(hubDb, 1).hlc())).isBetween(before, after);
            assertThat(entry(hubDb, 3).hlc()).isGreaterThan(Hlc.pack(ahead, 0));
            assertThat(Hlc.millis(entry(hubDb, 3).hlc())).isEqualTo(ahead);
        }
    }

    /** The feed entry of customer {@code id}, local writes folded first. */
    private static Change entry(ShuttleDatabase db, long id) {
        return db.transaction(c -> new FeedReader(Dialects.of(db), SyncSchema.load(c, Dialects.of(db)))
                .read(c, FeedReader.Query.after(0, 1000)).entries().stream()
                        .map(FeedEntry::change)
                        .filter(ch -> ch.table().equals("customer")
                                && ((Number) ch.key().get(0)).longValue() == id)
                        .findFirst()
                        .orElseThrow());
    }
}
