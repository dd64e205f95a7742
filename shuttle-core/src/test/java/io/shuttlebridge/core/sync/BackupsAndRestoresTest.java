package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.backup.Backups;
import io.shuttlebridge.core.change.Change;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Devices restored from backups, copied to a second machine, and a SQLite hub restored from an older
 * backup, on real files synced in-process; the hub on PostgreSQL is in {@code PostgresHubRestoreTest}.
 */
class BackupsAndRestoresTest {
    @TempDir
    Path dir;

    private Path backup(Replicas r, String device, String name) {
        return Backups.sqlite(r.file(device).toString(), dir.resolve(name), ProgressListener.NONE)
                .file();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(
            value = ConflictPolicy.class,
            names = {"LWW", "FIELD_LWW", "VERSION_STRICT", "MANUAL"})
    void aDeviceRestoredFromAnOlderBackupGetsBackWhatItPushedSinceAndGoesOn(ConflictPolicy policy) {
        try (Replicas r = Replicas.sqliteHub(dir, policy)) {
            r.addDevice("a");
            r.addDevice("b");
            r.write("a", "INSERT INTO note VALUES (1, 'one')", "INSERT INTO note VALUES (2, 'two')");
            r.sync("a");
            r.write("a", "INSERT INTO note VALUES (3, 'unpushed when backed up')");
            Path bak = backup(r, "a", "a.bak");

            // after the backup: pushed, then lost with the device's file
            r.write(
                    "a",
                    "INSERT INTO note VALUES (4, 'four')",
                    "UPDATE note SET body = 'one, edited' WHERE id = 1",
                    "DELETE FROM note WHERE id = 2");
            r.sync("a");
            r.sync("b");
            List<String> acknowledged = List.of("1|one, edited", "3|unpushed when backed up", "4|four");
            assertThat(r.hubNotes()).isEqualTo(acknowledged);

            r.stop("a");
            r.restore("a", bak);
            r.start("a");
            assertThat(r.notes("a")).containsExactly("1|one", "2|two", "3|unpushed when backed up");
            r.write("a", "INSERT INTO note VALUES (5, 'written after the restore')");

            SyncReport back = r.sync("a");
            assertThat(r.notes("a"))
                    .containsExactly(
                            "1|one, edited", "3|unpushed when backed up", "4|four", "5|written after the restore");
            assertThat(r.hubNotes()).isEqualTo(r.notes("a"));
            assertThat(back.conflicts()).isZero();
            assertThat(r.engine("a").conflicts(false)).isEmpty();
            assertThat(r.hub().conflicts(false)).isEmpty();
            assertThat(SqliteFiles.count(r.file("a"), "SELECT count(*) FROM _shuttle_meta WHERE key LIKE 'backup%'"))
                    .as("the backup mark is gone once the hub heard of the restore")
                    .isZero();

            // what came back is the device's own, acknowledged: a later write of it, and one of another device
            // on it, are ordinary writes, not conflicts
            r.write("a", "UPDATE note SET body = 'four, edited on a' WHERE id = 4");
            r.sync("a");
            r.sync("b");
            r.write("b", "UPDATE note SET body = 'four, edited on b' WHERE id = 4");
            r.sync("b");
            SyncReport quiet = r.sync("a");
            assertThat(quiet.conflicts()).isZero();
            assertThat(r.engine("a").conflicts(false)).isEmpty();
            assertThat(r.hub().conflicts(false)).isEmpty();
            assertThat(r.notes("a"))
                    .isEqualTo(r.hubNotes())
                    .isEqualTo(r.notes("b"))
                    .contains("4|four, edited on b");
            assertThat(r.sync("a").pushed()).isZero();
        }
    }

    @Test
    void aRestoredBackupSeesWhatItsOriginalPushedEvenWhenTheHubPagesIt() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.sync("a");
            Path bak = backup(r, "a", "a.bak");
            for (int i = 1; i <= 250; i++) {
                r.write("a", "INSERT INTO note VALUES (" + i + ", 'n" + i + "')");
            }
            r.sync("a");
            r.stop("a");
            r.restore("a", bak);
            r.start("a");
            SyncEngine paged =
                    SyncEngine.builder(r.db("a")).pageSize(40).build(); // several pages: the mark holds to the last
            paged.pullThenPush(new InProcessTransport(r.hub()));
            assertThat(r.notes("a")).hasSize(250).isEqualTo(r.hubNotes());
        }
    }

    @Test
    void aCopiedDeviceIsRefusedUntilItTakesANewIdentityAndThenLosesNothing() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.write("a", "INSERT INTO note VALUES (1, 'one')");
            r.sync("a");
            r.write("a", "INSERT INTO note VALUES (2, 'unpushed when copied')");
            r.stop("a");
            r.copy("a", "copy");
            r.start("a");
            String node = r.engine("a").nodeUuid();
            assertThat(r.engine("copy").nodeUuid()).isEqualTo(node);

            r.write("a", "INSERT INTO note VALUES (3, 'on a after the copy')");
            r.sync("a");
            r.write("copy", "INSERT INTO note VALUES (4, 'on the copy')");
            List<String> before = r.hubNotes();
            assertThatThrownBy(() -> r.sync("copy"))
                    .isInstanceOfSatisfying(
                            ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NODE_COPIED))
                    .hasMessageContaining("another database syncs as the same node")
                    .hasMessageContaining("shuttle node reset --db " + r.file("copy"));
            assertThat(r.hubNotes()).isEqualTo(before);
            assertThat(r.sync("a").pulled()).as("the original goes on").isZero();

            assertThatThrownBy(() -> NodeReset.run(r.hubDb()))
                    .isInstanceOfSatisfying(
                            ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("serves devices as their hub");
            NodeReset.Result reset = NodeReset.run(r.db("copy"));
            assertThat(reset.oldNode()).isEqualTo(node);
            assertThat(reset.newNode()).isNotEqualTo(node);
            assertThat(reset.unpushed()).isEqualTo(2); // the copy's own write and the one it shares with a
            r.reopenEngine("copy");
            SyncReport s = r.sync("copy");
            assertThat(s.conflicts()).isZero();
            r.sync("a");
            assertThat(r.hubNotes())
                    .containsExactly("1|one", "2|unpushed when copied", "3|on a after the copy", "4|on the copy")
                    .isEqualTo(r.notes("a"))
                    .isEqualTo(r.notes("copy"));
            // what the old identity pushed stays its own on the hub; the copy's writes are the new identity's
            assertThat(originOf(r, 1)).isEqualTo(node);
            assertThat(originOf(r, 4)).isEqualTo(reset.newNode());
            assertThat(r.sync("copy").pushed()).isZero();
            assertThat(r.sync("a").pushed()).isZero();
        }
    }

    @Test
    void aCopyMadeBeforeTheFirstSyncIsCaughtToo() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.write("a", "INSERT INTO note VALUES (1, 'one')");
            r.stop("a");
            r.copy("a", "copy");
            r.start("a");
            r.sync("a");
            assertThatThrownBy(() -> r.sync("copy"))
                    .isInstanceOfSatisfying(
                            ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NODE_COPIED));
        }
    }

    @Test
    void theSameBackupRestoredTwiceIsACopy() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.sync("a");
            Path bak = backup(r, "a", "a.bak");
            r.write("a", "INSERT INTO note VALUES (1, 'one')");
            r.sync("a");
            r.stop("a");
            r.restore("a", bak);
            r.start("a");
            Replicas.replaceFile(bak, r.file("second"));
            r.start("second");
            r.sync("a");
            assertThat(r.notes("a")).containsExactly("1|one");
            assertThatThrownBy(() -> r.sync("second"))
                    .isInstanceOfSatisfying(
                            ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NODE_COPIED))
                    .hasMessageContaining("this same backup restored a second time");
        }
    }

    @Test
    void aHubRestoredFromAnOlderBackupHoldsEverythingItHadAcknowledgedOnceEveryDeviceSynced() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.addDevice("b");
            r.write("a", "INSERT INTO note VALUES (1, 'a before the backup')");
            r.sync("a");
            r.sync("b");
            Path hub = Path.of(r.hubUrl());
            Path bak = Backups.sqlite(r.hubUrl(), dir.resolve("hub.bak"), ProgressListener.NONE)
                    .file(); // while the hub is open
            // after the backup: acknowledged by the hub, then lost with it
            r.write("a", "INSERT INTO note VALUES (2, 'a after the backup')");
            r.sync("a");
            r.write("b", "INSERT INTO note VALUES (3, 'b after the backup')", "DELETE FROM note WHERE id = 1");
            r.sync("b");
            r.sync("a");
            r.addDevice("c"); // a device cloned after the backup: the restored hub has never heard of it
            r.write("c", "INSERT INTO note VALUES (4, 'c after the backup')");
            r.sync("c");
            List<String> acknowledged = List.of("2|a after the backup", "3|b after the backup", "4|c after the backup");
            assertThat(r.hubNotes()).isEqualTo(acknowledged);

            r.restartHub(r.hubUrl(), () -> Replicas.replaceFile(bak, hub));
            assertThat(r.hubNotes()).containsExactly("1|a before the backup");

            SyncReport a = r.sync("a");
            assertThat(a.resynced()).isTrue();
            r.sync("b");
            r.sync("c");
            assertThat(r.hubNotes()).isEqualTo(acknowledged);
            for (String d : List.of("a", "b", "c")) {
                r.sync(d);
            }
            for (String d : List.of("a", "b", "c")) {
                assertThat(r.notes(d)).as(d).isEqualTo(acknowledged);
                SyncReport quiet = r.sync(d);
                assertThat(quiet.pushed()).as(d).isZero();
                assertThat(quiet.resynced()).as(d).isFalse();
            }
            assertThat(r.hub().conflicts(false)).isEmpty();
        }
    }

    /**
     * Found by the randomized simulation with restores: a hub restored between a device's pull and its push
     * was told only by the push, whose {@code HUB_RESTORED} failed the sync; the device recovers in that
     * same sync.
     */
    @Test
    void aHubRestoredBetweenADevicesPullAndItsPushIsRecoveredFromInTheSameSync() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.write("a", "INSERT INTO note VALUES (1, 'before the backup')");
            r.sync("a");
            Path hub = Path.of(r.hubUrl());
            Path bak = Backups.sqlite(r.hubUrl(), dir.resolve("hub.bak"), ProgressListener.NONE)
                    .file();
            r.write("a", "INSERT INTO note VALUES (2, 'acknowledged, then lost with the hub')");
            r.sync("a");
            r.write("a", "INSERT INTO note VALUES (3, 'pushed to the restored hub')");

            // the pull reaches the hub as it was; the hub is restored before the push reaches it
            Transport restoredAfterThePull = new Transport() {
                private boolean restored;

                @Override
                public String hubNode() {
                    return r.hub().nodeUuid();
                }

                @Override
                public PushResult push(String fromNode, List<Change> changes) {
                    return r.hub().acceptPush(fromNode, changes);
                }

                @Override
                public PreparedPush preparePush(String fromNode, List<Change> changes, Standing standing) {
                    return () -> r.hub().acceptPush(fromNode, changes, WriteGuard.NONE, standing);
                }

                @Override
                public PullResult pull(String forNode, long since, int limit) {
                    return r.hub().servePull(forNode, since, limit);
                }

                @Override
                public PullResult pull(String forNode, long since, int limit, Standing standing) {
                    PullResult page = r.hub().servePull(forNode, since, limit, standing);
                    if (!page.more() && !restored) {
                        restored = true;
                        r.restartHub(r.hubUrl(), () -> Replicas.replaceFile(bak, hub));
                    }
                    return page;
                }

                @Override
                public PullResult snapshot(String forNode, long after, int limit) {
                    return r.hub().serveSnapshot(forNode, after, limit);
                }
            };
            SyncReport s = r.engine("a").pullThenPush(restoredAfterThePull);

            assertThat(s.resynced()).isTrue();
            List<String> all = List.of(
                    "1|before the backup", "2|acknowledged, then lost with the hub", "3|pushed to the restored hub");
            assertThat(r.hubNotes()).isEqualTo(all);
            assertThat(r.notes("a")).isEqualTo(all);
            SyncReport quiet = r.sync("a");
            assertThat(quiet.pushed()).isZero();
            assertThat(quiet.resynced()).isFalse();
        }
    }

    /**
     * Found by the randomized simulation with restores: a copy of a device's file made after the device
     * showed its hub a ticket (and lost the answer) shows the same ticket and nonce. After a hub restore, the device recovered
     * without pushing anything (so the hub kept no record of it), then the copy recovered by pushing its
     * write under the shared identity; the device was taken for the one in the right, the copy refused and
     * reset, and its write stayed the device's own on the hub, never sent to the device. A recovery now
     * takes a ticket before it pushes, so only one of the two can push as the node.
     */
    @Test
    void aCopyAndItsOriginalRecoveringFromAHubRestoreNeverBothPushAsOneNode() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.addDevice("b");
            r.write("b", "INSERT INTO note VALUES (1, 'one')");
            r.sync("b");
            r.sync("a"); // a writes nothing of its own
            Path hub = Path.of(r.hubUrl());
            Path bak = Backups.sqlite(r.hubUrl(), dir.resolve("hub.bak"), ProgressListener.NONE)
                    .file();
            r.sync("a");
            // a shows its ticket once more, and the answer is lost: a and its copy will show the same ticket
            // with the same nonce
            Transport answerLost = answerLost(r.hub());
            assertThatThrownBy(() -> r.engine("a").pullThenPush(answerLost)).hasMessageContaining("lost");
            r.stop("a");
            r.copy("a", "copy");
            r.start("a");
            r.restartHub(r.hubUrl(), () -> Replicas.replaceFile(bak, hub));

            r.sync("b");
            assertThat(r.sync("a").resynced()).isTrue(); // nothing of its own to push again
            r.write("copy", "INSERT INTO note VALUES (2, 'on the copy')");
            List<String> refused = new java.util.ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (String d : List.of("copy", "a")) {
                    try {
                        r.sync(d);
                    } catch (ShuttleException e) {
                        assertThat(e.code()).as(d + ": " + e.getMessage()).isEqualTo(ErrorCode.NODE_COPIED);
                        refused.add(d);
                        NodeReset.run(r.db(d));
                        r.reopenEngine(d);
                    }
                }
            }
            assertThat(refused).hasSize(1);
            List<String> all = List.of("1|one", "2|on the copy");
            assertThat(r.hubNotes()).isEqualTo(all);
            assertThat(r.notes("a")).isEqualTo(all);
            assertThat(r.notes("copy")).isEqualTo(all);
            r.sync("b");
            assertThat(r.notes("b")).isEqualTo(all);
            assertThat(r.sync("a").resynced())
                    .as("the hub holds a's standing again")
                    .isFalse();
        }
    }

    /**
     * Found by the randomized simulation with restores: a database copied while its recovery from a hub
     * restore was under way (the hub's restore noticed, the re-push cut short), and refused as the copy, lost
     * the recovery with its old identity: it went on pulling from a cursor of the hub as it was before the
     * restore and never received what the restored hub put below it. Its next pull now takes the snapshot.
     */
    @Test
    void aCopyResetWhileRecoveringFromAHubRestoreTakesTheHubsSnapshot() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.addDevice("b");
            r.write("b", "INSERT INTO note VALUES (1, 'one')");
            r.sync("b");
            r.sync("a");
            Path hub = Path.of(r.hubUrl());
            Path bak = Backups.sqlite(r.hubUrl(), dir.resolve("hub.bak"), ProgressListener.NONE)
                    .file();
            r.write("b", "INSERT INTO note VALUES (2, 'two')", "INSERT INTO note VALUES (3, 'three')");
            r.sync("b");
            for (int i = 0; i < 4; i++) { // the hub's seqs run ahead of its rows
                r.write("b", "UPDATE note SET body = body || '.' WHERE id IN (2, 3)");
                r.sync("b");
            }
            r.write("b", "UPDATE note SET body = 'two' WHERE id = 2", "UPDATE note SET body = 'three' WHERE id = 3");
            r.sync("b");
            r.sync("a");
            r.restartHub(r.hubUrl(), () -> Replicas.replaceFile(bak, hub));

            // a notices the restore, and its recovery is cut short before it pushes anything
            Transport pushFails = new Transport() {
                @Override
                public String hubNode() {
                    return r.hub().nodeUuid();
                }

                @Override
                public PushResult push(String fromNode, List<Change> changes) {
                    throw new ShuttleException(ErrorCode.TRANSPORT, "connection lost");
                }

                @Override
                public PreparedPush preparePush(String fromNode, List<Change> changes, Standing standing) {
                    return () -> push(fromNode, changes);
                }

                @Override
                public PullResult pull(String forNode, long since, int limit) {
                    return r.hub().servePull(forNode, since, limit);
                }

                @Override
                public PullResult pull(String forNode, long since, int limit, Standing standing) {
                    return r.hub().servePull(forNode, since, limit, standing);
                }

                @Override
                public PullResult snapshot(String forNode, long after, int limit) {
                    return r.hub().serveSnapshot(forNode, after, limit);
                }
            };
            r.write("a", "INSERT INTO note VALUES (4, 'four, on a')");
            assertThatThrownBy(() -> r.engine("a").pullThenPush(pushFails)).hasMessageContaining("connection lost");
            r.stop("a");
            r.copy("a", "copy");
            r.start("a");

            r.write("b", "INSERT INTO note VALUES (6, 'six, after the restore')");
            r.sync("b"); // b puts its rows back on the hub, at seqs below the cursor a and its copy hold
            r.sync("a");
            assertThatThrownBy(() -> r.sync("copy"))
                    .isInstanceOfSatisfying(
                            ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NODE_COPIED));
            NodeReset.run(r.db("copy"));
            r.reopenEngine("copy");
            r.write("copy", "INSERT INTO note VALUES (5, 'five, on the copy')");
            assertThat(r.sync("copy").resynced()).isTrue();
            r.sync("a");
            r.sync("b");
            List<String> all = List.of(
                    "1|one", "2|two", "3|three", "4|four, on a", "5|five, on the copy", "6|six, after the restore");
            assertThat(r.hubNotes()).isEqualTo(all);
            for (String d : List.of("a", "b", "copy")) {
                assertThat(r.notes(d)).as(d).isEqualTo(all);
            }
        }
    }

    /**
     * Found by the randomized simulation with restores: a device restored from a backup taken before its hub
     * was restored to an older backup still, after the device had recovered from that hub restore, pulled from
     * a cursor of the hub's lost history: the restored hub had numbered other changes below it since, and the
     * device never got them. Its ticket tells that it comes from the lost history; it takes the snapshot.
     */
    @Test
    void aDeviceBackupFromAHistoryTheHubLostTakesTheSnapshot() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.addDevice("b");
            Path hub = Path.of(r.hubUrl());
            Path hubBak = Backups.sqlite(r.hubUrl(), dir.resolve("hub.bak"), ProgressListener.NONE)
                    .file();
            r.write("b", "INSERT INTO note VALUES (1, 'one')", "INSERT INTO note VALUES (2, 'two')");
            r.sync("b");
            for (int i = 0; i < 3; i++) { // the hub's seqs run ahead of its rows
                r.write("b", "UPDATE note SET body = body || '.' WHERE id IN (1, 2)");
                r.sync("b");
            }
            r.sync("a");
            Path aBak = backup(r, "a", "a.bak");
            r.sync("a");

            r.restartHub(r.hubUrl(), () -> Replicas.replaceFile(hubBak, hub));
            r.sync("b"); // b puts its rows back, at new seqs
            r.write("b", "INSERT INTO note VALUES (3, 'three, after the hub restore')");
            r.sync("b");
            assertThat(r.sync("a").resynced()).isTrue(); // a recovers from the hub's restore

            r.stop("a");
            r.restore("a", aBak);
            r.start("a");
            SyncReport back = r.sync("a");
            assertThat(back.resynced())
                    .as("a backup of the history the hub lost takes the snapshot")
                    .isTrue();
            assertThat(r.notes("a")).isEqualTo(r.hubNotes()).contains("3|three, after the hub restore");
            assertThat(r.sync("a").resynced()).isFalse();
        }
    }

    /**
     * Found by the randomized simulation with restores: a database given a new identity takes the hub's
     * snapshot at its next sync, which set its cursor but handed it no ticket; with nothing to push it held
     * none, so when the hub was then restored to an older backup nothing told it, and it pulled from a cursor
     * of the history the hub lost. The snapshot now comes after a pull that hands it a ticket.
     */
    @Test
    void aSnapshotTakenForANewIdentityComesWithATicket() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.addDevice("b");
            Path hub = Path.of(r.hubUrl());
            Path hubBak = Backups.sqlite(r.hubUrl(), dir.resolve("hub.bak"), ProgressListener.NONE)
                    .file();
            r.write("b", "INSERT INTO note VALUES (1, 'one')", "INSERT INTO note VALUES (2, 'two')");
            r.sync("b");
            for (int i = 0; i < 3; i++) { // the hub's seqs run ahead of its rows
                r.write("b", "UPDATE note SET body = body || '.' WHERE id IN (1, 2)");
                r.sync("b");
            }
            r.sync("a");
            NodeReset.run(r.db("a"));
            r.reopenEngine("a");
            assertThat(r.sync("a").resynced()).isTrue(); // nothing to push: the snapshot is all it does

            r.restartHub(r.hubUrl(), () -> Replicas.replaceFile(hubBak, hub));
            r.sync("b"); // b puts its rows back, at new seqs
            r.write("b", "INSERT INTO note VALUES (3, 'three, after the hub restore')");
            r.sync("b");
            r.sync("a");
            assertThat(r.notes("a")).isEqualTo(r.hubNotes()).contains("3|three, after the hub restore");
        }
    }

    /**
     * Found by the randomized simulation with restores: a copy of a device's file made before the device heard
     * that its hub was restored holds the same ticket, and nonce, the device then showed the hub when it told it
     * of the restore; the copy's pulls were taken for the device's and went on from a cursor of the history the
     * hub lost. A ticket of that lost history now makes the pull a resync.
     */
    @Test
    void aCopyMadeBeforeItsOriginalHeardOfAHubRestoreTakesTheSnapshot() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.addDevice("b");
            Path hub = Path.of(r.hubUrl());
            Path hubBak = Backups.sqlite(r.hubUrl(), dir.resolve("hub.bak"), ProgressListener.NONE)
                    .file();
            r.write("b", "INSERT INTO note VALUES (1, 'one')", "INSERT INTO note VALUES (2, 'two')");
            r.sync("b");
            for (int i = 0; i < 3; i++) { // the hub's seqs run ahead of its rows
                r.write("b", "UPDATE note SET body = body || '.' WHERE id IN (1, 2)");
                r.sync("b");
            }
            r.sync("a");
            // a shows its ticket once more and the answer is lost: a and its copy show the same ticket and nonce
            Transport answerLost = answerLost(r.hub());
            assertThatThrownBy(() -> r.engine("a").pullThenPush(answerLost)).hasMessageContaining("lost");
            r.stop("a");
            r.copy("a", "copy");
            r.start("a");

            r.restartHub(r.hubUrl(), () -> Replicas.replaceFile(hubBak, hub));
            assertThat(r.sync("a").resynced()).isTrue(); // a tells the hub, with nothing of its own to push
            r.sync("b"); // b puts its rows back, at new seqs
            r.write("b", "INSERT INTO note VALUES (3, 'three, after the hub restore')");
            r.sync("b");
            assertThat(r.sync("copy").resynced()).isTrue();
            assertThat(r.notes("copy")).isEqualTo(r.hubNotes()).contains("3|three, after the hub restore");
        }
    }

    /**
     * Found by the randomized simulation with restores (seeds 8033 and 8073): a device restored from an older
     * backup of its own synced after its hub was restored to an older backup too, so the hub handed its node
     * the same ticket numbers again, in its new history; the device was then restored from a newer backup,
     * taken before the hub's restore, whose ticket the hub could not tell from one of its new history. It
     * pulled its own changes from a cursor of the history the hub lost and missed what the hub had numbered
     * below it since. A restored backup now takes the hub's snapshot.
     */
    @Test
    void aDeviceRestoredTwiceAcrossARestoreOfItsHubTakesTheSnapshot() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            r.addDevice("b");
            r.sync("a");
            Path older = backup(r, "a", "a-older.bak");
            Path hub = Path.of(r.hubUrl());
            Path hubBak = Backups.sqlite(r.hubUrl(), dir.resolve("hub.bak"), ProgressListener.NONE)
                    .file();
            r.write("b", "INSERT INTO note VALUES (1, 'one')", "INSERT INTO note VALUES (2, 'two')");
            r.sync("b");
            for (int i = 0; i < 3; i++) { // the hub's seqs run ahead of its rows
                r.write("b", "UPDATE note SET body = body || '.' WHERE id IN (1, 2)");
                r.sync("b");
                r.sync("a");
            }
            Path newer = backup(r, "a", "a-newer.bak");

            r.restartHub(r.hubUrl(), () -> Replicas.replaceFile(hubBak, hub));
            r.stop("a");
            r.restore("a", older); // its ticket is one the restored hub handed out: nothing tells it of the restore
            r.start("a");
            for (int i = 0; i < 4; i++) {
                r.sync("a"); // the hub hands a's node its numbers again
            }
            r.sync("b"); // b recovers from the hub's restore: its rows again, at new seqs
            r.write("b", "INSERT INTO note VALUES (3, 'three, after the hub restore')");
            r.sync("b");

            r.stop("a");
            r.restore("a", newer); // cursors of the history the hub lost
            r.start("a");
            SyncReport back = r.sync("a");
            assertThat(r.notes("a")).isEqualTo(r.hubNotes()).contains("3|three, after the hub restore");
            assertThat(back.resynced())
                    .as("a restored backup takes the snapshot")
                    .isTrue();
            assertThat(r.sync("a").resynced()).isFalse();
        }
    }

    /**
     * Found by the randomized simulation with restores (seed 8233): a device recovering from a hub restore
     * pushed part of its writes again, and the hub was restored once more before the recovery was done. The
     * device, still showing that it had seen a restore, had its ticket taken for the hub's record and went on
     * pushing from where it was: what it had pushed to the history the second restore lost was lost, and its
     * resync then removed it here too. A device shows it has seen the restore only until the restored hub has
     * answered it; the second restore is told like the first, and the recovery starts over.
     */
    @Test
    void aHubRestoredAgainWhileADeviceRecoversGetsEveryWriteOfTheDeviceBack() {
        try (Replicas r = Replicas.sqliteHub(dir, ConflictPolicy.LWW)) {
            r.addDevice("a");
            Path hub = Path.of(r.hubUrl());
            Path hubBak = Backups.sqlite(r.hubUrl(), dir.resolve("hub.bak"), ProgressListener.NONE)
                    .file();
            r.write("a", "INSERT INTO note VALUES (1, 'one')", "INSERT INTO note VALUES (2, 'two')");
            r.sync("a");
            assertThat(r.hubNotes()).hasSize(2);

            r.restartHub(r.hubUrl(), () -> Replicas.replaceFile(hubBak, hub));
            // a recovers one page at a time, and its second page never leaves
            SyncEngine pages = SyncEngine.builder(r.db("a")).pageSize(1).build();
            SyncEngine restored = r.hub();
            assertThatThrownBy(() -> pages.pullThenPush(firstPushOnly(restored)))
                    .hasMessageContaining("cut short");
            assertThat(r.hubNotes())
                    .as("the recovery's first page reached the hub")
                    .containsExactly("1|one");

            r.restartHub(r.hubUrl(), () -> Replicas.replaceFile(hubBak, hub)); // restored again
            SyncReport again = r.sync("a");
            assertThat(r.hubNotes()).containsExactly("1|one", "2|two");
            assertThat(r.notes("a")).isEqualTo(r.hubNotes());
            assertThat(again.resynced()).isTrue();
            assertThat(r.sync("a").resynced()).isFalse();
        }
    }

    /** A transport whose pull reaches the hub (which records the device's standing) and whose answer is lost. */
    private static Transport answerLost(SyncEngine hub) {
        return new Transport() {
            @Override
            public String hubNode() {
                return hub.nodeUuid();
            }

            @Override
            public PushResult push(String fromNode, List<Change> changes) {
                throw new AssertionError("a pull comes first");
            }

            @Override
            public PullResult pull(String forNode, long since, int limit) {
                throw new AssertionError("a device shows its standing");
            }

            @Override
            public PullResult pull(String forNode, long since, int limit, Standing standing) {
                hub.servePull(forNode, since, limit, standing);
                throw new ShuttleException(ErrorCode.TRANSPORT, "the answer was lost");
            }

            @Override
            public PullResult snapshot(String forNode, long after, int limit) {
                throw new AssertionError("no snapshot");
            }
        };
    }

    /** The hub's answers, but only the first push a sync sends: the next fails before it leaves. */
    private static Transport firstPushOnly(SyncEngine hub) {
        InProcessTransport in = new InProcessTransport(hub);
        return new Transport() {
            private int pushes;

            @Override
            public String hubNode() {
                return in.hubNode();
            }

            @Override
            public PushResult push(String fromNode, List<Change> changes) {
                throw new AssertionError("a device shows its standing");
            }

            @Override
            public PreparedPush preparePush(String fromNode, List<Change> changes, Standing standing) {
                PreparedPush p = in.preparePush(fromNode, changes, standing);
                return () -> {
                    if (pushes++ > 0) {
                        throw new ShuttleException(ErrorCode.TRANSPORT, "cut short");
                    }
                    return p.send();
                };
            }

            @Override
            public PullResult pull(String forNode, long since, int limit) {
                throw new AssertionError("a device shows its standing");
            }

            @Override
            public PullResult pull(String forNode, long since, int limit, Standing standing) {
                return in.pull(forNode, since, limit, standing);
            }

            @Override
            public PullResult snapshot(String forNode, long after, int limit) {
                return in.snapshot(forNode, after, limit);
            }
        };
    }

    private static String originOf(Replicas r, long id) {
        return r.hubDb().read(c -> {
            try (var ps = c.prepareStatement("SELECT n.uuid FROM _shuttle_feed f JOIN _shuttle_nodes n ON n.id ="
                    + " f.origin JOIN _shuttle_tables t ON t.id = f.tbl WHERE t.name = 'note' AND f.pk = ?")) {
                ps.setLong(1, id);
                try (var rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }
}
