package io.shuttlebridge.core.internal.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A page read for every device, less the entries one device sent ({@link FeedReader.Page#without}), is
 * that device's page: the same as the query leaving them out when the page holds everything, and when
 * it is full, a page reaching as far as the shared one, from whose end the device pulls on to get every
 * other entry once, in order.
 */
class PageWithoutTest {
    private static final String A = "00000000-0000-4000-8000-00000000000a";
    private static final String B = "00000000-0000-4000-8000-00000000000b";

    @TempDir
    Path dir;

    @Test
    void aSharedPageWithoutOneSendersEntriesIsThatSendersPage() {
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(dir.resolve("hub.db"))) {
            db.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
            Capture.enable(db);
            SyncEngine hub = SyncEngine.open(db);
            long id = 0;
            for (int round = 0; round < 4; round++) {
                for (String device : List.of(A, B)) {
                    List<Change> changes = new ArrayList<>();
                    for (int i = 0; i < 3; i++) {
                        id++;
                        changes.add(row(id, device));
                    }
                    assertThat(hub.acceptPush(device, changes).applied()).isEqualTo(3);
                }
            }
            db.execute("INSERT INTO item VALUES (1000, 'written on the hub')");

            FeedReader.Page everything = read(db, FeedReader.Query.after(0, 100));
            assertThat(everything.more()).isFalse();
            assertThat(everything.senders()).containsExactlyInAnyOrder(A, B);
            FeedReader.Page mine = everything.without(A);
            FeedReader.Page excluded = read(db, FeedReader.Query.after(0, 100).excludingPeer(A));
            assertThat(seqs(mine)).isEqualTo(seqs(excluded)).hasSize(13);
            assertThat(mine.entries())
                    .extracting(FeedEntry::change)
                    .isEqualTo(
                            excluded.entries().stream().map(FeedEntry::change).toList());
            assertThat(mine.lastSeq()).isEqualTo(excluded.lastSeq());
            assertThat(mine.more()).isFalse();
            assertThat(mine.senders()).containsExactly(B);
            assertThat(everything.without("00000000-0000-4000-8000-0000000000ff"))
                    .as("a device that sent nothing gets the page as it is")
                    .isSameAs(everything);

            // full pages: each reaches as far as the shared one; pulled on from its end, no entry is missed
            List<Long> pulled = new ArrayList<>();
            long cursor = 0;
            boolean more = true;
            int pages = 0;
            while (more) {
                FeedReader.Page page =
                        read(db, FeedReader.Query.after(cursor, 5)).without(A);
                assertThat(page.entries().size()).isLessThanOrEqualTo(5);
                pulled.addAll(seqs(page));
                assertThat(page.lastSeq()).isGreaterThanOrEqualTo(cursor);
                cursor = page.lastSeq();
                more = page.more();
                assertThat(++pages).isLessThan(50);
            }
            assertThat(pages).isGreaterThan(1);
            assertThat(pulled).isEqualTo(seqs(excluded));
        }
    }

    private static FeedReader.Page read(ShuttleDatabase db, FeedReader.Query q) {
        return db.transaction(c -> new FeedReader(Dialects.of(db), SyncSchema.load(c, Dialects.of(db))).read(c, q));
    }

    private static List<Long> seqs(FeedReader.Page page) {
        return page.entries().stream().map(FeedEntry::seq).toList();
    }

    private static Change row(long id, String device) {
        long hlc = (System.currentTimeMillis() << Hlc.COUNTER_BITS) + id;
        return new Change(
                "item", List.of(id), Op.UPSERT, Map.of("id", id, "name", "row " + id), hlc, device, 1, 0, Map.of());
    }
}
