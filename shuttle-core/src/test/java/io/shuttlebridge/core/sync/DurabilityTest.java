package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.FeedReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hub answers a push only once it is stored durably: the settings its commits run under. */
class DurabilityTest {
    @TempDir
    Path dir;

    @Test
    void sqliteCommitsWhatAHubAnswersAndADeviceKeepsWithSynchronousFull() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            // a connection runs NORMAL (WAL): the application's own writes cost no fsync each
            assertThat(text(r.hubDb(), "PRAGMA synchronous")).isEqualTo("1");
            assertThat(text(r.hubDb(), "PRAGMA journal_mode")).isEqualTo("wal");
            String inside = r.db("a")
                    .durableTransaction(
                            c -> Jdbc.queryString(c, "PRAGMA synchronous").orElseThrow());
            assertThat(inside).as("FULL for the transaction").isEqualTo("2");
            assertThat(text(r.db("a"), "PRAGMA synchronous"))
                    .as("and back after it")
                    .isEqualTo("1");

            List<String> inPush = new ArrayList<>();
            r.write("a", "INSERT INTO note VALUES (1, 'one')");
            Change change = firstChange(r.db("a"));
            r.hub().acceptPush(r.engine("a").nodeUuid(), List.of(change), watching(inPush, "PRAGMA synchronous"));
            assertThat(inPush).containsExactly("2");
            assertThat(text(r.hubDb(), "PRAGMA synchronous")).isEqualTo("1");
        }
    }

    @Test
    void aPostgresHubCommitsAPushSynchronouslyWhateverTheDatabaseDefault() {
        try (Replicas r = Replicas.postgresHub(dir, ConflictPolicy.LWW)) {
            Postgres.exec(r.hubUrl(), "ALTER DATABASE " + database(r.hubUrl()) + " SET synchronous_commit = off");
            r.addDevice("a");
            r.restartHub(r.hubUrl(), () -> {}); // new sessions see the database's default
            assertThat(text(r.hubDb(), "SHOW synchronous_commit")).isEqualTo("off");
            r.write("a", "INSERT INTO note VALUES (1, 'one')");
            List<String> inPush = new ArrayList<>();
            assertThat(r.hub()
                            .acceptPush(
                                    r.engine("a").nodeUuid(),
                                    List.of(firstChange(r.db("a"))),
                                    watching(inPush, "SHOW synchronous_commit"))
                            .applied())
                    .isEqualTo(1);
            assertThat(inPush).containsExactly("on");
        }
    }

    /** A guard that lets everything through and notes what {@code sql} answers inside each push transaction. */
    private static WriteGuard watching(List<String> seen, String sql) {
        return new WriteGuard() {
            @Override
            public Map<Integer, String> before(Connection c, List<Change> changes) throws SQLException {
                seen.add(Jdbc.queryString(c, sql).orElseThrow());
                return Map.of();
            }

            @Override
            public Map<Integer, String> after(Connection c, List<Change> changes) {
                return Map.of();
            }
        };
    }

    private static Change firstChange(ShuttleDatabase db) {
        return db.transaction(c -> new FeedReader(Dialects.of(db), SyncSchema.load(c, Dialects.of(db)))
                        .read(c, FeedReader.Query.after(0, 10)))
                .entries()
                .get(0)
                .change();
    }

    private static String text(ShuttleDatabase db, String sql) {
        return db.read(c -> Jdbc.queryString(c, sql).orElseThrow());
    }

    private static String database(String url) {
        String path = url.substring(url.indexOf('/', "jdbc:postgresql://".length()) + 1);
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }
}
