package io.shuttlebridge.core.internal.dialect.postgres;

import static io.shuttlebridge.core.Postgres.exec;
import static io.shuttlebridge.core.Postgres.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.CaptureSql;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.internal.schema.Table;
import io.shuttlebridge.core.sync.InProcessTransport;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.SyncEngine;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * A PostgreSQL hub applies pushed pages in bulk (rows and feed entries one statement each) and
 * reads pages by arrays of keys: keys of every common type must come out exactly as the capture
 * triggers write them, re-pushes must change nothing, and a row given twice in one page must end
 * as its last write.
 */
class PostgresBulkApplyTest {
    private static final String[] DDL = {
        "CREATE TYPE mood AS ENUM ('calm', 'busy')",
        "CREATE TABLE event (site uuid, at timestamptz, tag text, note varchar(40), qty numeric(10,2), PRIMARY KEY (site, at, tag))",
        "CREATE TABLE blob (k bytea PRIMARY KEY, body text)",
        "CREATE TABLE word (w text PRIMARY KEY, n integer, day date, flag boolean, ratio double precision)",
        "CREATE TABLE shaped (id integer PRIMARY KEY, tags integer[], m mood)",
        "CREATE TABLE stamp (at timestamp PRIMARY KEY, n bigint)"
    };
    private static final String[] ROWS = {
        "INSERT INTO event SELECT ('00000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, timestamptz '2025-03-01 12:00:00.123456+02'"
                + " + i * interval '1 minute', 'tag ' || (i % 3), 'note \"' || i || '\"', i / 7.0 FROM generate_series(1, 1200) i",
        "INSERT INTO blob SELECT decode(lpad(to_hex(i), 6, '0'), 'hex'), 'body ' || i FROM generate_series(1, 300) i",
        "INSERT INTO blob VALUES ('\\x', 'empty key')",
        "INSERT INTO word SELECT 'w' || i || CASE WHEN i % 5 = 0 THEN ' ,{\"}\\' ELSE '' END, i, date '2024-02-28' + i, i % 2 = 0,"
                + " i / 3.0 FROM generate_series(1, 700) i",
        "INSERT INTO word VALUES ('NULL', NULL, NULL, NULL, NULL), ('', 0, NULL, true, 'Infinity')",
        "INSERT INTO shaped SELECT i, ARRAY[i, i + 1], CASE WHEN i % 2 = 0 THEN 'calm' ELSE 'busy' END::mood FROM generate_series(1, 50) i",
        "INSERT INTO stamp SELECT timestamp '2025-01-01 00:00:00' + i * interval '1.5 second', i FROM generate_series(1, 400) i"
    };
    private static final String[] TABLES = {"event", "blob", "word", "shaped", "stamp"};

    private static ShuttleDatabase enabled(String url) {
        exec(url, DDL);
        ShuttleDatabase db = ShuttleDatabase.open(url);
        Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
        return db;
    }

    private static List<Map<String, Object>> rows(String url, String table) {
        return query(url, "SELECT t::text AS row FROM " + table + " t ORDER BY t::text");
    }

    private static List<Map<String, Object>> feedKeys(String url, String table) {
        return query(
                url,
                "SELECT f.pk, f.op, f.hlc, f.version FROM _shuttle_feed f JOIN _shuttle_tables t ON t.id = f.tbl"
                        + " WHERE t.name = '" + table + "' ORDER BY f.pk");
    }

    @Test
    void pagesOfEveryKeyTypeApplyInBulkAndReadBackExactly() {
        String writer = Postgres.freshDatabase();
        String hubUrl = Postgres.freshDatabase();
        String reader = Postgres.freshDatabase();
        try (ShuttleDatabase a = enabled(writer);
                ShuttleDatabase h = enabled(hubUrl);
                ShuttleDatabase c = enabled(reader)) {
            exec(writer, ROWS);
            SyncEngine hub = SyncEngine.builder(h).maxBatch(10_000).build();
            InProcessTransport toHub = new InProcessTransport(hub);
            SyncEngine engineA =
                    SyncEngine.builder(a).pageSize(1000).maxBatch(10_000).build();
            SyncEngine engineC =
                    SyncEngine.builder(c).pageSize(1000).maxBatch(10_000).build();

            assertThat(engineA.pullThenPush(toHub).pushed()).isEqualTo(1200 + 301 + 702 + 50 + 400);
            engineC.pullThenPush(toHub);
            for (String t : TABLES) {
                assertThat(rows(hubUrl, t)).as(t).isEqualTo(rows(writer, t));
                assertThat(rows(reader, t)).as(t).isEqualTo(rows(writer, t));
                // the hub stored the keys it computed in bulk exactly as the writer's triggers did
                assertThat(feedKeys(hubUrl, t)).as(t).isEqualTo(feedKeys(writer, t));
                assertThat(feedKeys(reader, t)).as(t).isEqualTo(feedKeys(writer, t));
            }
            assertThat(Postgres.count(hubUrl, "SELECT count(DISTINCT seq) FROM _shuttle_feed"))
                    .isEqualTo(2653);
            assertThat(Postgres.count(hubUrl, "SELECT seq FROM _shuttle_clock")).isEqualTo(2653);

            // the same pages again: every change a duplicate, nothing written
            List<Map<String, Object>> feedBefore =
                    query(hubUrl, "SELECT tbl, pk, seq, hlc, version FROM _shuttle_feed ORDER BY seq");
            List<Change> all = h
                    .transaction(x -> new FeedReader(Dialects.of(h), SyncSchema.load(x, Dialects.of(h)))
                            .read(x, FeedReader.Query.after(0, 10_000))
                            .entries())
                    .stream()
                    .map(FeedEntry::change)
                    .toList();
            PushResult again = hub.acceptPush(engineA.nodeUuid(), all);
            assertThat(again.applied()).isZero();
            assertThat(again.duplicates()).isEqualTo(all.size());
            assertThat(query(hubUrl, "SELECT tbl, pk, seq, hlc, version FROM _shuttle_feed ORDER BY seq"))
                    .isEqualTo(feedBefore);
        }
    }

    @Test
    void aRowGivenTwiceInOnePageEndsAsItsLastWrite() {
        String hubUrl = Postgres.freshDatabase();
        try (ShuttleDatabase h = enabled(hubUrl)) {
            SyncEngine hub = SyncEngine.open(h);
            String node = UUID.randomUUID().toString();
            String site = "00000000-0000-4000-8000-000000000001";
            long hlc = System.currentTimeMillis() << 16;
            List<Change> page = new ArrayList<>();
            // the same rows written twice, the second time with the key spelt differently (upper-case uuid, other
            // offset)
            page.add(event(site, "2025-03-01T10:00:00Z", "first", hlc, node, 1));
            page.add(word("w1", 1, hlc + 1, node, 1));
            page.add(event(site.toUpperCase(), "2025-03-01T12:00:00+02:00", "second", hlc + 2, node, 2));
            page.add(word("w1", 2, hlc + 3, node, 2));
            page.add(new Change(
                    "blob",
                    List.of(new byte[] {1, 2}),
                    Op.UPSERT,
                    Map.of("k", new byte[] {1, 2}, "body", "x"),
                    hlc + 4,
                    node,
                    1,
                    0,
                    Map.of()));
            page.add(
                    new Change("blob", List.of(new byte[] {1, 2}), Op.DELETE, Map.of(), hlc + 5, node, 2, 1, Map.of()));
            PushResult r = hub.acceptPush(node, page);
            assertThat(r.applied()).isEqualTo(6);
            assertThat(query(hubUrl, "SELECT note FROM event"))
                    .extracting(m -> m.get("note"))
                    .containsExactly("second");
            assertThat(query(hubUrl, "SELECT n FROM word"))
                    .extracting(m -> m.get("n"))
                    .containsExactly(2);
            assertThat(Postgres.count(hubUrl, "SELECT count(*) FROM blob")).isZero();
            List<Map<String, Object>> feed =
                    query(hubUrl, "SELECT pk, op, hlc, version, seq FROM _shuttle_feed ORDER BY seq");
            assertThat(feed)
                    .extracting(m -> m.get("pk"))
                    .containsExactly("[\"" + site + "\", \"2025-03-01T10:00:00.000000Z\", \"t\"]", "w1", "0102");
            assertThat(feed).extracting(m -> m.get("hlc")).containsExactly(hlc + 2, hlc + 3, hlc + 5);
            assertThat(feed).extracting(m -> m.get("op")).containsExactly(1, 1, 2);
            assertThat(Postgres.count(hubUrl, "SELECT hlc FROM _shuttle_clock")).isGreaterThanOrEqualTo(hlc + 5);
        }
    }

    @Test
    void rowsWronglyExpectedNewAreUpsertedAfterAllAndTheTransactionGoesOn() {
        String url = Postgres.freshDatabase();
        try (ShuttleDatabase h = enabled(url)) {
            exec(url, "INSERT INTO word (w, n) VALUES ('w1', 1)");
            Table word = h.transaction(
                    x -> SyncSchema.load(x, Dialects.of(h)).require("word").table());
            List<String> cols = List.of("w", "n", "day", "flag", "ratio");
            h.transaction(c -> {
                try (PostgresBulkUpsert bulk =
                        PostgresBulkUpsert.of(c, word, List.of("w"), cols, Dialects.of(h)::quote)) {
                    // a run taken as new holding a row that exists: the whole run is upserted instead
                    bulk.add(new Object[] {"w2", 20L, null, null, null}, true);
                    bulk.add(new Object[] {"w1", 10L, null, null, null}, true);
                    // then an upsert run, then a new run that repeats a key (one statement cannot insert it twice)
                    bulk.add(new Object[] {"w2", 21L, null, null, null}, false);
                    bulk.add(new Object[] {"w3", 30L, null, null, null}, true);
                    bulk.add(new Object[] {"w3", 31L, null, null, null}, true);
                    bulk.add(new Object[] {"w4", 40L, null, null, null}, true);
                    bulk.execute();
                }
                Jdbc.update(c, "INSERT INTO word (w, n) VALUES ('w5', 50)"); // the transaction is not aborted
                return null;
            });
            assertThat(query(url, "SELECT w, n FROM word ORDER BY w"))
                    .extracting(m -> m.get("w") + "=" + m.get("n"))
                    .containsExactly("w1=10", "w2=21", "w3=31", "w4=40", "w5=50");
        }
    }

    @Test
    void feedEntriesWronglyExpectedNewReplaceTheRowsEntry() {
        String url = Postgres.freshDatabase();
        try (ShuttleDatabase h = enabled(url)) {
            exec(url, "INSERT INTO word (w, n) VALUES ('w1', 1)");
            h.transaction(c -> {
                Dialects.of(h).capture().fold(c);
                return null;
            });
            long before = Postgres.count(url, "SELECT seq FROM _shuttle_feed WHERE pk = 'w1'");
            SyncedTable word =
                    h.transaction(x -> SyncSchema.load(x, Dialects.of(h)).require("word"));
            long hlc = (System.currentTimeMillis() + 60_000) << 16;
            h.transaction(c -> {
                long token = Dialects.of(h).capture().beginApply(c);
                Dialects.of(h)
                        .capture()
                        .endApply(
                                c,
                                token,
                                List.of(
                                        new CaptureSql.AppliedEntry(
                                                word, List.of("w2"), 1, hlc, 1, 1, 0, null, null, true),
                                        new CaptureSql.AppliedEntry(
                                                word, List.of("w1"), 1, hlc + 1, 1, 7, 0, null, null, true)));
                Jdbc.update(c, "INSERT INTO word (w, n) VALUES ('w9', 9)"); // the transaction is not aborted
                return null;
            });
            List<Map<String, Object>> feed =
                    query(url, "SELECT pk, hlc, version, seq FROM _shuttle_feed WHERE pk IN ('w1', 'w2') ORDER BY seq");
            assertThat(feed).extracting(m -> m.get("pk")).containsExactly("w2", "w1");
            assertThat(feed.get(1).get("hlc")).isEqualTo(hlc + 1);
            assertThat(feed.get(1).get("version")).isEqualTo(7L);
            assertThat((Long) feed.get(0).get("seq")).isGreaterThan(before);
            assertThat(Postgres.count(url, "SELECT count(*) FROM word WHERE w = 'w9'"))
                    .isEqualTo(1);
        }
    }

    private static Change event(String site, String at, String note, long hlc, String node, long version) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("site", site);
        v.put("at", at);
        v.put("tag", "t");
        v.put("note", note);
        v.put("qty", "1.50");
        return new Change("event", List.of(site, at, "t"), Op.UPSERT, v, hlc, node, version, version - 1, Map.of());
    }

    private static Change word(String w, long n, long hlc, String node, long version) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("w", w);
        v.put("n", n);
        v.put("day", null);
        v.put("flag", 1L);
        v.put("ratio", 0.5);
        return new Change("word", List.of(w), Op.UPSERT, v, hlc, node, version, version - 1, Map.of());
    }
}
