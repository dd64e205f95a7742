package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hub answers a push only once it is stored durably: the settings every commit runs under. */
class DurabilityTest {
    @TempDir
    Path dir;

    @Test
    void sqliteDatabasesCommitWithSynchronousFull() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            assertThat(text(r.hubDb(), "PRAGMA synchronous")).as("FULL").isEqualTo("2");
            assertThat(text(r.db("a"), "PRAGMA synchronous")).isEqualTo("2");
            assertThat(text(r.hubDb(), "PRAGMA journal_mode")).isEqualTo("wal");
        }
    }

    @Test
    void aPostgresHubCommitsAPushSynchronouslyWhateverTheDatabaseDefault() {
        try (Replicas r = Replicas.postgresHub(dir, ConflictPolicy.LWW)) {
            Postgres.exec(r.hubUrl(), "ALTER DATABASE " + database(r.hubUrl()) + " SET synchronous_commit = off");
            r.addDevice("a");
            List<String> inPush = new ArrayList<>();
            WriteGuard watch = new WriteGuard() {
                @Override
                public Map<Integer, String> before(Connection c, List<Change> changes) throws SQLException {
                    inPush.add(Jdbc.queryString(c, "SHOW synchronous_commit").orElseThrow());
                    return Map.of();
                }

                @Override
                public Map<Integer, String> after(Connection c, List<Change> changes) {
                    return Map.of();
                }
            };
            r.restartHub(r.hubUrl(), () -> {}); // new sessions see the database's default
            r.write("a", "INSERT INTO note VALUES (1, 'one')");
            SyncEngine device = r.engine("a");
            String node = device.nodeUuid();
            Change change = r.db("a")
                    .transaction(c -> new io.shuttlebridge.core.internal.feed.FeedReader(
                                    io.shuttlebridge.core.internal.dialect.Dialects.of(r.db("a")),
                                    io.shuttlebridge.core.internal.capture.SyncSchema.load(
                                            c, io.shuttlebridge.core.internal.dialect.Dialects.of(r.db("a"))))
                            .read(c, io.shuttlebridge.core.internal.feed.FeedReader.Query.after(0, 10)))
                    .entries()
                    .get(0)
                    .change();
            assertThat(text(r.hubDb(), "SHOW synchronous_commit")).isEqualTo("off");
            assertThat(r.hub().acceptPush(node, List.of(change), watch).applied())
                    .isEqualTo(1);
            assertThat(inPush).containsExactly("on");
        }
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
