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
import io.shuttlebridge.core.internal.protocol.WireCodec;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.internal.sync.HubSide;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pulls cut from the shared end of the feed ({@link FeedTail}) answer, byte for byte, what a read of the
 * feed for each device answers (the page read with no one's changes left out, less the device's own:
 * {@link FeedReader.Page#without}), however the feed moved between them: rows rewritten and deleted
 * after the tail read them, pages full or not, another schema version, a purge, and a feed changed under
 * the tail as a restored database would be.
 */
class FeedTailTest {
    private static final String A = "00000000-0000-4000-8000-00000000000a";
    private static final String B = "00000000-0000-4000-8000-00000000000b";
    private static final String C = "00000000-0000-4000-8000-00000000000c";

    @TempDir
    Path dir;

    private ShuttleDatabase db;
    private SyncEngine engine;
    private HubSide hub;
    private final Map<String, Long> hlcs = new HashMap<>();

    @BeforeEach
    void open() {
        db = ShuttleDatabase.sqlite(dir.resolve("hub.db"));
        db.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT, secret TEXT)");
        Capture.enable(db);
        engine = SyncEngine.open(db);
        hub = new HubSide(EngineAccess.context(engine));
    }

    @org.junit.jupiter.api.AfterEach
    void close() {
        db.close();
    }

    @Test
    void devicesPullingTheSamePositionGetTheirOwnAnswersFromOneRead() {
        FeedTail tail = tail(UnaryOperator.identity());
        push(A, 1, 5, "a");
        push(B, 6, 10, "b");
        db.execute("INSERT INTO item VALUES (100, 'written on the hub', 's')");

        FeedTail.Answer first = pull(tail, A, 0, 1000);
        assertThat(first.shared())
                .as("nothing held yet: read for the first pull")
                .isFalse();
        assertSame(first, A, 0, 1000, UnaryOperator.identity());
        assertThat(first.changes()).as("A's own five left out").hasSize(6);
        FeedTail.Answer second = pull(tail, B, 0, 1000);
        assertThat(second.shared())
                .as("the second pull of the same position is cut from the first's read")
                .isTrue();
        assertSame(second, B, 0, 1000, UnaryOperator.identity());
        assertThat(second.changes()).hasSize(6);
        FeedTail.Answer third = pull(tail, C, 0, 1000);
        assertThat(third.shared()).isTrue();
        assertSame(third, C, 0, 1000, UnaryOperator.identity());
        assertThat(third.changes()).hasSize(11);
        assertThat(third.changes().get(0))
                .as("the same change is the same bytes: encoded once")
                .isSameAs(second.changes().get(0));

        // full pages from every cursor, for each device
        for (String node : List.of(A, B, C)) {
            long cursor = 0;
            for (boolean more = true; more; ) {
                FeedTail.Answer page = pull(tail, node, cursor, 3);
                assertThat(page.shared()).isTrue();
                assertSame(page, node, cursor, 3, UnaryOperator.identity());
                cursor = page.next();
                more = page.more();
            }
        }
        long top = pull(tail, C, 0, 1000).next();

        // the feed moves on: rows rewritten (their entries move past the tail's end), deleted, added
        push(B, 1, 2, "b again");
        db.execute("DELETE FROM item WHERE id = 7");
        db.execute("UPDATE item SET name = 'hub again' WHERE id = 100");
        push(A, 11, 12, "a");
        for (String node : List.of(A, B, C)) {
            for (long since : List.of(0L, 4L, top)) {
                for (int limit : List.of(2, 5, 1000)) {
                    FeedTail.Answer page = pull(tail, node, since, limit);
                    assertThat(page.shared()).as(node + " from " + since).isTrue();
                    assertSame(page, node, since, limit, UnaryOperator.identity());
                }
            }
        }
    }

    @Test
    void pullsFromFarBehindStartTheTailAtTheFeedsEndAndKeepItMoving() {
        FeedTail tail = tail(UnaryOperator.identity());
        push(A, 1, 10, "a");
        FeedTail.Answer behind = pull(tail, B, 0, 3);
        assertThat(behind.more()).isTrue();
        assertThat(behind.shared()).isFalse();
        long top = feedTop();
        FeedTail.Answer atTheEnd = pull(tail, C, top, 100);
        assertThat(atTheEnd.shared())
                .as("the tail started empty at the feed's end")
                .isTrue();
        assertSame(atTheEnd, C, top, 100, UnaryOperator.identity());
        for (int round = 0; round < 3; round++) {
            push(A, 11 + 2L * round, 12 + 2L * round, "a");
            FeedTail.Answer again = pull(tail, B, behind.next(), 3);
            assertThat(again.shared()).as("still before the tail").isFalse();
            assertSame(again, B, behind.next(), 3, UnaryOperator.identity());
            behind = again;
        }
        FeedTail.Answer moved = pull(tail, C, top, 100);
        assertThat(moved.shared()).isTrue();
        assertSame(moved, C, top, 100, UnaryOperator.identity());
        assertThat(moved.changes()).hasSize(6);
    }

    @Test
    void hiddenColumnsAreLeftOutOfWhatEveryDeviceGets() {
        UnaryOperator<Change> hide = ch -> {
            if (ch.values() == null || !ch.values().containsKey("secret")) {
                return ch;
            }
            Map<String, Object> values = new java.util.LinkedHashMap<>(ch.values());
            values.remove("secret");
            return new Change(
                    ch.table(), ch.key(), ch.op(), values, ch.hlc(), ch.origin(), ch.version(), ch.base(), Map.of());
        };
        FeedTail tail = tail(hide);
        push(A, 1, 3, "a");
        for (String node : List.of(B, C)) {
            FeedTail.Answer page = pull(tail, node, 0, 100);
            assertSame(page, node, 0, 100, hide);
            assertThat(new String(
                            WireCodec.pullPageBytes(page.changes(), page.next(), page.more(), 1),
                            StandardCharsets.UTF_8))
                    .contains("row 1")
                    .doesNotContain("secret");
        }
    }

    @Test
    void anotherSchemaVersionReadsAgain() {
        FeedTail tail = tail(UnaryOperator.identity());
        push(A, 1, 3, "a");
        long version = engine.schemaVersion();
        assertThat(pullAt(tail, B, 0, version).shared()).isFalse();
        assertThat(pullAt(tail, C, 0, version).shared()).isTrue();
        FeedTail.Answer other = pullAt(tail, C, 0, version + 1);
        assertThat(other.shared()).as("held under another version: read again").isFalse();
        assertThat(other.schemaVersion()).isEqualTo(version + 1);
        assertThat(pullAt(tail, B, 0, version + 1).shared()).isTrue();
    }

    @Test
    void aCursorBehindThePurgeResyncsAndThePagesAfterItStayTrue() {
        FeedTail tail = tail(UnaryOperator.identity());
        push(A, 1, 6, "a");
        db.execute("DELETE FROM item WHERE id IN (2, 3)");
        push(A, 9, 10, "a"); // the tail's last entry is not one the purge takes
        long top = pull(tail, A, 0, 1000).next();
        pull(tail, B, 0, 1000);
        // both acknowledge the whole feed: the deletes are purged
        assertThat(pull(tail, A, top, 1000).changes()).isEmpty();
        assertThat(pull(tail, B, top, 1000).changes()).isEmpty();
        assertThat(hub.purgeTombstones()).isEqualTo(2);
        assertThat(hub.servePullShared(B, 0, 1000, tail))
                .as("a cursor behind the purge resyncs, whatever the tail holds")
                .isNull();
        push(B, 7, 8, "b");
        FeedTail.Answer page = pull(tail, A, top, 1000);
        assertThat(page.shared()).isTrue();
        assertSame(page, A, top, 1000, UnaryOperator.identity());
        assertThat(page.changes()).hasSize(2);
    }

    @Test
    void aFeedChangedUnderTheTailIsReadAgain() {
        FeedTail tail = tail(UnaryOperator.identity());
        push(A, 1, 6, "a");
        long top = pull(tail, B, 0, 1000).next();
        assertThat(pull(tail, C, 0, 1000).shared()).isTrue();
        // as a hub restored from an older backup: the feed's last entries are gone, and others take their seqs
        db.execute("DELETE FROM _shuttle_feed WHERE seq > " + (top - 3));
        push(B, 20, 25, "b");
        assertThat(feedTop()).isGreaterThan(top);
        FeedTail.Answer page = pull(tail, C, 0, 1000);
        assertThat(page.shared())
                .as("its last entry is not where it was read: read again")
                .isFalse();
        assertSame(page, C, 0, 1000, UnaryOperator.identity());
        assertThat(pull(tail, A, 0, 1000).shared()).isTrue();
    }

    @Test
    void theTailKeepsToItsBounds() {
        FeedTail tail = new FeedTail(WireCodec::changeBytes, 8, 1 << 20);
        push(A, 1, 6, "a");
        pull(tail, B, 0, 1000);
        push(A, 7, 20, "a");
        FeedTail.Answer page = pull(tail, B, 0, 1000);
        assertSame(page, B, 0, 1000, UnaryOperator.identity());
        assertThat(tail.size()[0]).isLessThanOrEqualTo(8);
        FeedTail.Answer again = pull(tail, C, 0, 1000);
        assertThat(again.shared())
                .as("its start was dropped: a pull from there reads its page")
                .isFalse();
        assertSame(again, C, 0, 1000, UnaryOperator.identity());
    }

    @Test
    void aPullWhoseSnapshotEndsWhereTheTailWasReadIsCutWithoutReadingTheFeed() {
        FeedTail tail = tail(UnaryOperator.identity());
        push(A, 1, 5, "a");
        push(B, 6, 10, "b");
        assertThat(pull(tail, A, 0, 1000).shared()).isFalse();
        long top = engine.feedPosition();

        FeedTail.Answer known = pullAt(tail, B, 0, engine.schemaVersion(), top);
        assertThat(known.shared()).isTrue();
        assertSame(known, B, 0, 1000, UnaryOperator.identity());

        // a write the tail has not read: a snapshot said to end at the tail's end is answered from the tail alone
        // (were the feed read, the new row would be in it), a snapshot that ends later reads what the feed gained
        push(A, 11, 11, "late");
        FeedTail.Answer asOfBefore = pullAt(tail, C, 0, engine.schemaVersion(), top);
        assertThat(asOfBefore.changes()).hasSize(10);
        assertThat(asOfBefore.next()).isEqualTo(top);
        FeedTail.Answer asOfNow = pullAt(tail, C, 0, engine.schemaVersion(), engine.feedPosition());
        assertThat(asOfNow.shared()).isTrue();
        assertThat(asOfNow.changes()).hasSize(11);
        assertSame(asOfNow, C, 0, 1000, UnaryOperator.identity());
    }

    private FeedTail.Answer pullAt(FeedTail tail, String node, long since, long version, long feedTop) {
        return db.transaction(c -> tail.page(
                new FeedReader(Dialects.of(db), SyncSchema.load(c, Dialects.of(db))),
                c,
                since,
                1000,
                version,
                node,
                feedTop));
    }

    private FeedTail tail(UnaryOperator<Change> visible) {
        return new FeedTail(ch -> WireCodec.changeBytes(visible.apply(ch)), 10_000, 1 << 24);
    }

    private FeedTail.Answer pull(FeedTail tail, String node, long since, int limit) {
        FeedTail.Answer a = hub.servePullShared(node, since, limit, tail);
        assertThat(a).isNotNull();
        return a;
    }

    private FeedTail.Answer pullAt(FeedTail tail, String node, long since, long version) {
        return db.transaction(c -> tail.page(
                new FeedReader(Dialects.of(db), SyncSchema.load(c, Dialects.of(db))), c, since, 1000, version, node));
    }

    /** The answer is the page a read of the feed gives, less the device's own changes, in the same bytes. */
    private void assertSame(FeedTail.Answer answer, String node, long since, int limit, UnaryOperator<Change> visible) {
        FeedReader.Page page = db.transaction(c -> new FeedReader(Dialects.of(db), SyncSchema.load(c, Dialects.of(db)))
                        .read(c, FeedReader.Query.after(since, limit)))
                .without(node);
        PullResult expected = new PullResult(
                page.entries().stream().map(FeedEntry::change).map(visible).toList(),
                page.lastSeq(),
                page.more(),
                false,
                List.of(),
                0,
                engine.schemaVersion());
        assertThat(new String(
                        WireCodec.pullPageBytes(answer.changes(), answer.next(), answer.more(), answer.schemaVersion()),
                        StandardCharsets.UTF_8))
                .as(node + " from " + since + ", " + limit)
                .isEqualTo(new String(WireCodec.pullResultBytes(expected, -1), StandardCharsets.UTF_8));
    }

    private long feedTop() {
        return db.read(c -> io.shuttlebridge.core.internal.Jdbc.queryLong(c, "SELECT max(seq) FROM _shuttle_feed")
                .orElse(0L));
    }

    private void push(String device, long from, long to, String name) {
        List<Change> changes = new ArrayList<>();
        for (long id = from; id <= to; id++) {
            String key = device + id;
            long hlc = Math.max(hlcs.getOrDefault("", 0L) + 1, (System.currentTimeMillis() << Hlc.COUNTER_BITS));
            hlcs.put("", hlc);
            hlcs.put(key, hlc);
            Map<String, Object> values = new java.util.LinkedHashMap<>();
            values.put("id", id);
            values.put("name", name + " row " + id);
            values.put("secret", "s" + id);
            changes.add(new Change("item", List.of(id), Op.UPSERT, values, hlc, device, 1, 0, Map.of()));
        }
        var r = engine.acceptPush(device, changes);
        assertThat(r.applied() + r.superseded() + r.conflicts().size())
                .as(r.toString())
                .isGreaterThan(0);
    }
}
