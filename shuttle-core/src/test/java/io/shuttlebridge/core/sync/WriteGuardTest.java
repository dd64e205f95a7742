package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.internal.protocol.PushResultCodec;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A hub's write guard: refused changes are not stored, the rest of the batch is, and the answer says which. */
class WriteGuardTest {
    @TempDir
    java.nio.file.Path dir;

    private ShuttleDatabase db;
    private SyncEngine hub;
    private final String device = UUID.randomUUID().toString();
    private long clock = System.currentTimeMillis();

    @BeforeEach
    void open() {
        db = ShuttleDatabase.sqlite(dir.resolve("hub.db"));
        db.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, body TEXT)");
        db.execute("INSERT INTO note VALUES (1, 'bob', 'bob''s note')");
        Capture.enable(db);
        hub = SyncEngine.open(db);
    }

    @AfterEach
    void close() {
        db.close();
    }

    /** alice may write the rows she owns: judged on the stored row before, and on the row as written after. */
    private static final WriteGuard ALICE = new WriteGuard() {
        @Override
        public Map<Integer, String> before(Connection c, List<Change> changes) throws SQLException {
            return notAlices(c, changes, "the stored row is not alice's");
        }

        @Override
        public Map<Integer, String> after(Connection c, List<Change> changes) throws SQLException {
            return notAlices(c, changes, "the row as written is not alice's");
        }
    };

    private static Map<Integer, String> notAlices(Connection c, List<Change> changes, String why) throws SQLException {
        Map<Integer, String> out = new HashMap<>();
        for (int i = 0; i < changes.size(); i++) {
            var owner = Jdbc.queryString(
                    c,
                    "SELECT owner FROM note WHERE id = ?",
                    changes.get(i).key().get(0));
            if (owner.isPresent() && !owner.get().equals("alice")) {
                out.put(i, why);
            }
        }
        return out;
    }

    @Test
    void refusedChangesAreNotStoredAndTheRestOfTheBatchIs() {
        List<Change> batch = List.of(
                upsert(2, "alice", "mine"), // fine
                upsert(1, "alice", "taking bob's note"), // refused before: the stored row is bob's
                upsert(3, "carol", "for carol"), // refused after: written as carol's
                upsert(4, "alice", "mine too")); // fine
        long before = hub.feedPosition();
        PushResult r = hub.acceptPush(device, batch, ALICE);

        assertThat(r.applied()).isEqualTo(2);
        assertThat(r.refused())
                .extracting(PushResult.Refusal::index, PushResult.Refusal::code, PushResult.Refusal::message)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, ErrorCode.FORBIDDEN, "the stored row is not alice's"),
                        org.assertj.core.groups.Tuple.tuple(
                                2, ErrorCode.FORBIDDEN, "the row as written is not alice's"));
        assertThat(r.rejected()).contains(batch.get(1).stamp(), batch.get(2).stamp());
        assertThat(rows()).containsExactly("1|bob|bob's note", "2|alice|mine", "4|alice|mine too");
        assertThat(hub.feedPosition()).isEqualTo(before + 2);

        // on the wire and back
        PushResult back = PushResultCodec.read(ChangeCodec.parse(PushResultCodec.write(r), "push result"));
        assertThat(back.refused()).isEqualTo(r.refused());
        assertThat(back.rejected()).containsExactlyInAnyOrderElementsOf(r.rejected());

        // the same batch again: still refused, the rest duplicates
        PushResult again = hub.acceptPush(device, batch, ALICE);
        assertThat(again.applied()).isZero();
        assertThat(again.duplicates()).isEqualTo(2);
        assertThat(again.refused()).hasSize(2);
    }

    @Test
    void withoutAGuardEverythingIsStoredAsBefore() {
        PushResult r = hub.acceptPush(device, List.of(upsert(9, "carol", "anyone's")), WriteGuard.NONE);
        assertThat(r.applied()).isEqualTo(1);
        assertThat(r.refused()).isEmpty();
        assertThat(PushResultCodec.write(r)).doesNotContain("\"code\"");
    }

    private List<String> rows() {
        return db.read(c -> {
            List<String> out = new java.util.ArrayList<>();
            try (var rs = c.createStatement().executeQuery("SELECT id, owner, body FROM note ORDER BY id")) {
                while (rs.next()) {
                    out.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
                }
            }
            return out;
        });
    }

    private Change upsert(long id, String owner, String body) {
        return new Change(
                "note",
                List.of(id),
                Op.UPSERT,
                Map.of("id", id, "owner", owner, "body", body),
                Hlc.pack(++clock, 0),
                device,
                1,
                0,
                Map.of());
    }
}
