package io.shuttlebridge.core.internal.dialect.postgres;

import static io.shuttlebridge.core.Postgres.exec;
import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.sync.SyncEngine;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/** A feed notification says the feed's new position, so a listening hub process need not ask the database. */
class FeedNoticeTest {

    @Test
    void aNoticeOfThisSchemaTellsItsPosition() {
        assertThat(FeedNotice.latest(List.of("public:41", "public:42"), "public"))
                .isEqualTo(42);
        assertThat(FeedNotice.latest(List.of("other:90", "public:7"), "public")).isEqualTo(7);
    }

    @Test
    void noticesOfOtherSchemasAreNotNews() {
        assertThat(FeedNotice.latest(List.of("other:90", "publicity:3", "pub:4"), "public"))
                .isEqualTo(FeedNotice.NOTHING);
        assertThat(FeedNotice.latest(List.of(), "public")).isEqualTo(FeedNotice.NOTHING);
    }

    @Test
    void aNoticeWithoutPositionAsksTheDatabase() {
        // sent by a hub process of an earlier release: the schema alone
        assertThat(FeedNotice.latest(List.of("public:3", "public"), "public")).isEqualTo(FeedNotice.ASK);
        assertThat(FeedNotice.latest(List.of("public:x1"), "public")).isEqualTo(FeedNotice.ASK);
        // a schema whose name holds a colon
        assertThat(FeedNotice.latest(List.of("a:b:12"), "a:b")).isEqualTo(12);
    }

    @Test
    void pushesAndFoldedWritesNotifyTheFeedsNewPosition() throws Exception {
        String url = Postgres.freshDatabase();
        exec(url, "CREATE TABLE note (id bigint PRIMARY KEY, body text)");
        try (ShuttleDatabase db = ShuttleDatabase.open(url);
                Connection listening = DriverManager.getConnection(url);
                Statement s = listening.createStatement()) {
            Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
            SyncEngine hub = SyncEngine.open(db);
            s.execute("LISTEN " + PostgresDialect.FEED_CHANNEL);

            String device = UUID.randomUUID().toString();
            var pushed = hub.acceptPush(
                    device,
                    List.of(new Change(
                            "note",
                            List.of(1L),
                            Op.UPSERT,
                            Map.of("id", 1L, "body", "pushed"),
                            System.currentTimeMillis() << 16,
                            device,
                            1,
                            0,
                            Map.of())));
            assertThat(FeedNotice.latest(heard(listening), "public")).isEqualTo(pushed.hubSeq());

            exec(
                    url,
                    "INSERT INTO note VALUES (2, 'made with plain SQL')",
                    "UPDATE note SET body = 'again' WHERE id = 1");
            long position = hub.feedPosition(); // folds the two writes
            assertThat(position).isEqualTo(pushed.hubSeq() + 2);
            assertThat(FeedNotice.latest(heard(listening), "public")).isEqualTo(position);
            try (ResultSet rs = s.executeQuery("SELECT max(seq) FROM _shuttle_feed")) {
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(position);
            }
        }
    }

    /** The payloads of the notifications the connection has received (waits up to 5 s for the first). */
    private static List<String> heard(Connection c) throws Exception {
        List<String> payloads = new ArrayList<>();
        PGNotification[] got = c.unwrap(PGConnection.class).getNotifications(5000);
        for (PGNotification n : got == null ? new PGNotification[0] : got) {
            payloads.add(n.getParameter());
        }
        return payloads;
    }
}
