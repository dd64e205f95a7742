package io.shuttlebridge.core.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.FeedReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineScenarioTest {
    @TempDir
    Path dir;

    private static List<Change> localChanges(Cluster.Node n) {
        return n.db().transaction(c -> new FeedReader(Dialects.of(n.db()), SyncSchema.load(c, Dialects.of(n.db())))
                .read(c, FeedReader.Query.after(0, 1000)).entries().stream()
                        .map(FeedEntry::change)
                        .toList());
    }

    /** Lets the wall clock move on, so the next write is stamped strictly later (ties go to the origin). */
    static void pause() {
        try {
            Thread.sleep(3);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void assertConverged(Cluster k) {
        for (Cluster.Node d : k.devices) {
            assertThat(d.rows("customer")).as(d.name() + " customers").isEqualTo(k.hub.rows("customer"));
            assertThat(d.rows("orders")).as(d.name() + " orders").isEqualTo(k.hub.rows("orders"));
        }
    }

    @Test
    void insertUpdateDeleteReachEveryReplicaWithoutEcho() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.LWW)) {
            k.device(0)
                    .sql(
                            "INSERT INTO customer (id, name) VALUES (1, 'Ada')",
                            "INSERT INTO orders VALUES (10, 1, 5, NULL)",
                            "INSERT INTO customer (id, name) VALUES (2, 'Bob')");
            k.settle();
            assertThat(k.device(1).rows("orders")).hasSize(1);
            k.device(1).sql("UPDATE customer SET city = 'Oslo' WHERE id = 1", "DELETE FROM customer WHERE id = 2");
            k.settle();
            assertConverged(k);
            assertThat(k.device(0).rows("customer"))
                    .singleElement()
                    .satisfies(r -> assertThat(r)
                            .containsEntry("id", 1L)
                            .containsEntry("name", "Ada")
                            .containsEntry("city", "Oslo"));
            SyncReport quiet = k.sync(k.device(0));
            assertThat(quiet.pulled()).isZero();
            assertThat(quiet.pushed()).isZero();
        }
    }

    @Test
    void deleteOfMissingRowIsANoOpAndTombstoneBlocksOlderUpdate() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.LWW)) {
            k.device(0).sql("INSERT INTO customer (id, name) VALUES (1, 'Ada')");
            k.settle();
            k.device(1).sql("UPDATE customer SET name = 'older edit' WHERE id = 1"); // offline, earlier
            pause();
            k.device(0).sql("DELETE FROM customer WHERE id = 1"); // later
            k.sync(k.device(0));
            k.sync(k.device(1)); // its update is older than the tombstone: superseded
            k.settle();
            assertConverged(k);
            assertThat(k.hub.rows("customer")).isEmpty();
            // a newer write resurrects
            pause();
            k.device(1).sql("INSERT INTO customer (id, name) VALUES (1, 'back')");
            k.settle();
            assertConverged(k);
            assertThat(k.hub.rows("customer")).hasSize(1);
            // deleting a row that is not there anywhere
            PushResult r = k.hub.engine()
                    .acceptPush(
                            k.device(0).engine().nodeUuid(),
                            List.of(new Change(
                                    "customer",
                                    List.of(99L),
                                    Op.DELETE,
                                    Map.of(),
                                    1L << 16,
                                    k.device(0).engine().nodeUuid(),
                                    1,
                                    0,
                                    Map.of())));
            assertThat(r.applied()).isEqualTo(1);
            assertThat(k.hub.rows("customer")).hasSize(1);
        }
    }

    @Test
    void sameRowEditedOfflineOnTwoDevicesLastWriterWins() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.LWW)) {
            k.device(0).sql("INSERT INTO customer (id, name, city) VALUES (1, 'Ada', 'Rome')");
            k.settle();
            k.device(0).sql("UPDATE customer SET name = 'first' WHERE id = 1");
            pause();
            k.device(1).sql("UPDATE customer SET city = 'second' WHERE id = 1");
            k.sync(k.device(1));
            k.sync(k.device(0));
            k.settle();
            assertConverged(k);
            assertThat(k.hub.rows("customer").get(0))
                    .containsEntry("city", "second")
                    .containsEntry("name", "Ada");
        }
    }

    @Test
    void fieldLwwKeepsEditsToDifferentColumns() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.FIELD_LWW)) {
            k.device(0).sql("INSERT INTO customer (id, name, city) VALUES (1, 'Ada', 'Rome')");
            k.settle();
            k.device(0).sql("UPDATE customer SET name = 'Ada L.' WHERE id = 1");
            k.device(1).sql("UPDATE customer SET city = 'London' WHERE id = 1");
            k.sync(k.device(0));
            k.sync(k.device(1));
            k.settle();
            assertConverged(k);
            assertThat(k.hub.rows("customer").get(0))
                    .containsEntry("name", "Ada L.")
                    .containsEntry("city", "London");
        }
    }

    /**
     * Device 0 merges device 1's city edit into its own name edit, with a fresh stamp; device 2 had
     * meanwhile edited both columns, earlier than that stamp but later than either column. The hub
     * takes device 2's columns; the result is no longer device 0's write, so it must not travel
     * under device 0's stamp (device 0 would take it for what it already has).
     */
    @Test
    void fieldLwwMergeThatTakesNewerColumnsIntoANewerRowIsANewWrite() {
        try (Cluster k = new Cluster(dir, 3, ConflictPolicy.FIELD_LWW)) {
            k.device(0).sql("INSERT INTO customer (id, name, city) VALUES (1, 'Ada', 'Rome')");
            k.settle();
            k.device(1).sql("UPDATE customer SET city = 'Oslo' WHERE id = 1");
            k.sync(k.device(1));
            pause();
            k.device(0).sql("UPDATE customer SET name = 'Ada L.' WHERE id = 1");
            pause();
            k.device(2).sql("UPDATE customer SET name = 'Grace', city = 'Lima' WHERE id = 1");
            pause();
            k.sync(k.device(0)); // merges Oslo into its name edit under a fresh stamp, and pushes that
            k.sync(k.device(2)); // the hub takes both of device 2's newer columns
            k.settle();
            assertConverged(k);
            assertThat(k.hub.rows("customer").get(0))
                    .containsEntry("name", "Grace")
                    .containsEntry("city", "Lima");
        }
    }

    /**
     * Device 1 writes the city the hub already has, later than the hub's city write; device 2 writes
     * another city in between. When device 1 merges an incoming name edit, the merged row holds the
     * incoming values, but not its city stamp: the merge must still flow back (as a write of device 1),
     * or the hub takes device 2's older city while device 1 keeps its newer one.
     */
    @Test
    void fieldLwwMergeWhoseValuesMatchTheIncomingRowButWhoseColumnStampIsNewerFlowsBack() {
        try (Cluster k = new Cluster(dir, 3, ConflictPolicy.FIELD_LWW)) {
            k.device(0).sql("INSERT INTO customer (id, name) VALUES (1, 'Ada')");
            k.settle();
            k.device(0).sql("UPDATE customer SET city = 'Oslo' WHERE id = 1");
            k.sync(k.device(0));
            pause();
            k.device(2).sql("UPDATE customer SET city = 'Lima' WHERE id = 1");
            pause();
            k.device(1).sql("UPDATE customer SET city = 'Oslo' WHERE id = 1"); // the newest city write
            pause();
            k.device(0).sql("UPDATE customer SET name = 'Ada L.' WHERE id = 1");
            k.sync(k.device(0));
            k.sync(k.device(1));
            k.sync(k.device(2));
            k.settle();
            assertConverged(k);
            assertThat(k.hub.rows("customer").get(0))
                    .containsEntry("name", "Ada L.")
                    .containsEntry("city", "Oslo");
        }
    }

    /**
     * A pulled change waits for its parent, which comes in the next page; meanwhile the application
     * writes the same row. When the parent's page releases the held change, the row's newer write
     * is seen (though that page does not hold the row) and stands, here and on the hub.
     */
    @Test
    void aHeldChangeReleasedByALaterPageDoesNotOverwriteANewerLocalWrite() {
        try (Cluster k = new Cluster(dir, 1, ConflictPolicy.LWW, Map.of(), 1)) {
            k.hub.sql("INSERT INTO customer (id, name) VALUES (6, 'Ada')");
            k.settle();
            k.hub.sql(
                    "INSERT INTO customer (id, name) VALUES (7, 'Bob')",
                    "UPDATE customer SET referred_by = 7 WHERE id = 6");
            pause();
            k.hub.sql("UPDATE customer SET city = 'Oslo' WHERE id = 7"); // 7's feed entry now follows 6's
            Cluster.Node device = k.device(0);
            InProcessTransport hub = new InProcessTransport(k.hub.engine());
            int[] pulls = {0};
            Transport writesBetweenPages = new Transport() {
                @Override
                public String hubNode() {
                    return hub.hubNode();
                }

                @Override
                public PushResult push(String fromNode, List<Change> changes) {
                    return hub.push(fromNode, changes);
                }

                @Override
                public PullResult pull(String forNode, long since, int limit) {
                    if (++pulls[0] == 2) { // 6 is held for 7: the application edits 6 before the next page arrives
                        pause();
                        device.sql("UPDATE customer SET name = 'Ada, newer' WHERE id = 6");
                    }
                    return hub.pull(forNode, since, limit);
                }

                @Override
                public PullResult snapshot(String forNode, long after, int limit) {
                    return hub.snapshot(forNode, after, limit);
                }
            };
            device.engine().pullThenPush(writesBetweenPages);
            assertThat(pulls[0]).isGreaterThan(2);
            k.settle();
            assertConverged(k);
            assertThat(k.hub.rows("customer").get(0))
                    .containsEntry("id", 6L)
                    .containsEntry("name", "Ada, newer")
                    .containsEntry("referred_by", null);
        }
    }

    /** Pushes without pulling first, as a device does when its pull was interrupted. */
    private static void pushOnly(Cluster k, Cluster.Node device) {
        InProcessTransport hub = new InProcessTransport(k.hub.engine());
        Transport noPull = new Transport() {
            @Override
            public String hubNode() {
                return hub.hubNode();
            }

            @Override
            public PushResult push(String fromNode, List<Change> changes) {
                return hub.push(fromNode, changes);
            }

            @Override
            public PullResult pull(String forNode, long since, int limit) {
                return new PullResult(List.of(), since, false, false);
            }

            @Override
            public PullResult snapshot(String forNode, long after, int limit) {
                return hub.snapshot(forNode, after, limit);
            }
        };
        device.engine().pullThenPush(noPull);
    }

    /**
     * VERSION_STRICT: the hub refuses device 0's edit of row 6 (made on a stale base) and sends its own
     * row 6 again, which refers to row 7; row 7 is then written again, so device 0 receives 6 before 7
     * and holds it. When 7 releases it, device 0's refused edit has the newer stamp, yet the hub's row
     * is the one that stands: device 0 adopts it (keeping its edit as a conflict) instead of dropping it.
     */
    @Test
    void aHeldHubRowReleasedLaterIsAdoptedOverTheDevicesRefusedNewerWrite() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.VERSION_STRICT, Map.of(), 1)) {
            k.device(0).sql("INSERT INTO customer (id, name) VALUES (6, 'Ada')");
            k.settle();
            k.device(1)
                    .sql(
                            "INSERT INTO customer (id, name) VALUES (7, 'Bob')",
                            "UPDATE customer SET referred_by = 7 WHERE id = 6");
            k.sync(k.device(1));
            pause();
            k.device(0).sql("UPDATE customer SET name = 'Ada, mine' WHERE id = 6"); // newer stamp, stale base
            pushOnly(k, k.device(0)); // refused: the hub's row 6 stands and is sent again
            assertThat(k.hub.rows("customer").get(0))
                    .containsEntry("name", "Ada")
                    .containsEntry("referred_by", 7L);
            pause();
            k.device(1).sql("UPDATE customer SET city = 'Oslo' WHERE id = 7"); // 7's feed entry now follows 6's
            k.sync(k.device(1));
            SyncReport r = k.sync(k.device(0)); // holds 6 for 7, then releases it
            assertThat(r.pending()).isZero();
            assertThat(k.device(0).rows("customer").get(0))
                    .containsEntry("name", "Ada")
                    .containsEntry("referred_by", 7L);
            k.settle();
            assertConverged(k);
            assertThat(k.device(0).engine().conflicts(true))
                    .anySatisfy(c -> assertThat(c.localValues()).containsEntry("name", "Ada, mine"));
        }
    }

    @Test
    void sameBatchImportedThreeTimesAndOverlappingBatchesCountDuplicates() {
        try (Cluster k = new Cluster(dir, 1, ConflictPolicy.LWW)) {
            k.device(0).sql("INSERT INTO customer (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
            List<Change> all = localChanges(k.device(0));
            String from = k.device(0).engine().nodeUuid();
            PushResult first = k.hub.engine().acceptPush(from, all);
            PushResult second = k.hub.engine().acceptPush(from, all);
            PushResult third = k.hub.engine().acceptPush(from, all);
            assertThat(first.applied()).isEqualTo(3);
            assertThat(second.duplicates()).isEqualTo(3);
            assertThat(third.duplicates()).isEqualTo(3);
            k.device(0).sql("INSERT INTO customer (id, name) VALUES (4, 'd')");
            List<Change> more = localChanges(k.device(0));
            PushResult overlap = k.hub.engine().acceptPush(from, more.subList(2, 4));
            assertThat(overlap.duplicates()).isEqualTo(1);
            assertThat(overlap.applied()).isEqualTo(1);
            assertThat(k.hub.rows("customer")).hasSize(4);
        }
    }

    @Test
    void versionStrictRejectsStaleBaseRecordsItAndHubValueFlowsBack() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.VERSION_STRICT)) {
            k.device(0).sql("INSERT INTO customer (id, name) VALUES (1, 'v1')");
            k.settle();
            k.device(0).sql("UPDATE customer SET name = 'from device 0' WHERE id = 1");
            k.device(1).sql("UPDATE customer SET name = 'from device 1' WHERE id = 1");
            k.sync(k.device(0));
            SyncReport second = k.sync(k.device(1));
            assertThat(second.conflicts()).isGreaterThanOrEqualTo(1);
            k.settle();
            assertConverged(k);
            assertThat(k.hub.rows("customer").get(0)).containsEntry("name", "from device 0");
            // device 1 pulled first, saw its base was stale, adopted the hub's row and kept its own write as a conflict
            assertThat(k.hub.engine().conflicts(true)).isEmpty();
            assertThat(k.device(1).engine().conflicts(true)).singleElement().satisfies(c -> {
                assertThat(c.policy()).isEqualTo(ConflictPolicy.VERSION_STRICT);
                assertThat(c.localValues()).containsEntry("name", "from device 1");
                assertThat(c.remoteValues()).containsEntry("name", "from device 0");
                assertThat(c.localOrigin()).isEqualTo(k.device(1).engine().nodeUuid());
                assertThat(c.remoteOrigin()).isEqualTo(k.device(0).engine().nodeUuid());
            });
        }
    }

    @Test
    void manualConflictIsKeptThenItsResolutionFlowsToEveryReplica() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.MANUAL)) {
            k.device(0).sql("INSERT INTO customer (id, name) VALUES (1, 'base')");
            k.settle();
            k.device(0).sql("UPDATE customer SET name = 'mine' WHERE id = 1");
            k.device(1).sql("UPDATE customer SET name = 'theirs' WHERE id = 1");
            k.sync(k.device(0));
            k.sync(k.device(1));
            k.settle();
            assertConverged(k);
            List<ConflictRecord> open = k.device(1).engine().conflicts(true);
            assertThat(open)
                    .singleElement()
                    .satisfies(c -> assertThat(c.localValues()).containsEntry("name", "theirs"));
            assertThat(k.device(1).rows("customer").get(0)).containsEntry("name", "mine"); // nothing merged yet
            k.device(1).engine().resolve(open.get(0).id(), new SyncEngine.TakeLocal());
            k.settle();
            assertConverged(k);
            assertThat(k.device(0).rows("customer").get(0)).containsEntry("name", "theirs");
            assertThat(k.device(1).engine().conflicts(true)).isEmpty();
            assertThat(k.device(1).engine().conflicts(false))
                    .singleElement()
                    .satisfies(c -> assertThat(c.resolution()).isEqualTo("took local"));
        }
    }

    @Test
    void customResolverMergesOnTheHub() {
        ConflictResolver concat = (table, local, remote, base) -> local == null || remote == null
                ? new ConflictResolver.KeepLocal()
                : new ConflictResolver.Merged(
                        Map.of("id", local.get("id"), "name", local.get("name") + "+" + remote.get("name")));
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.CUSTOM, Map.of("customer", concat), 100)) {
            k.device(0).sql("INSERT INTO customer (id, name) VALUES (1, 'x')");
            k.settle();
            k.device(0).sql("UPDATE customer SET name = 'a' WHERE id = 1");
            k.device(1).sql("UPDATE customer SET name = 'b' WHERE id = 1");
            k.sync(k.device(0));
            k.sync(k.device(1));
            k.settle();
            assertConverged(k);
            // device 1 pulled device 0's edit concurrent with its own and merged them (its row first)
            assertThat(k.hub.rows("customer").get(0)).containsEntry("name", "b+a");
        }
    }

    @Test
    void childWhoseParentArrivesInALaterPageWaitsThenApplies() {
        try (Cluster k = new Cluster(dir, 1, ConflictPolicy.LWW)) {
            k.device(0)
                    .sql(
                            "INSERT INTO customer (id, name) VALUES (1, 'Ada')",
                            "INSERT INTO orders VALUES (10, 1, 5, NULL)",
                            "INSERT INTO customer (id, name, referred_by) VALUES (2, 'Bo', 1)");
            List<Change> all = localChanges(k.device(0));
            String from = k.device(0).engine().nodeUuid();
            Change order = all.stream()
                    .filter(c -> c.table().equals("orders"))
                    .findFirst()
                    .orElseThrow();
            PushResult early = k.hub.engine().acceptPush(from, List.of(order));
            assertThat(early.pending()).isEqualTo(1);
            assertThat(k.hub.rows("orders")).isEmpty();
            PushResult rest = k.hub.engine()
                    .acceptPush(
                            from,
                            all.stream()
                                    .filter(c -> c.table().equals("customer"))
                                    .toList());
            assertThat(rest.pending()).isZero();
            assertThat(k.hub.rows("orders")).hasSize(1);
            assertThat(k.hub.rows("customer")).hasSize(2);
        }
    }

    /**
     * Two rows the hub deleted are made again on a device, referring to each other. On the hub each
     * waits for the other as its parent; they are applied together rather than held for ever (the
     * device counted them as acknowledged).
     */
    @Test
    void rowsReferringToEachOtherMadeAgainAfterTheirDeletionAreAppliedTogether() {
        ConflictResolver keepLocal = (table, local, remote, base) -> new ConflictResolver.KeepLocal();
        try (Cluster k =
                new Cluster(dir, 2, ConflictPolicy.CUSTOM, Map.of("customer", keepLocal, "orders", keepLocal), 100)) {
            k.device(0).sql("INSERT INTO customer (id, name) VALUES (4, 'Ada'), (8, 'Bob')");
            k.settle();
            k.device(1).sql("DELETE FROM customer WHERE id IN (4, 8)");
            k.settle();
            k.device(0)
                    .sql(
                            "INSERT INTO customer (id, name) VALUES (4, 'Ada again')",
                            "INSERT INTO customer (id, name, referred_by) VALUES (8, 'Bob again', 4)",
                            "UPDATE customer SET referred_by = 8 WHERE id = 4");
            SyncReport r = k.sync(k.device(0));
            assertThat(r.pushed()).isEqualTo(2);
            assertThat(k.hub.engine().waitingChanges()).isZero();
            assertThat(k.hub.rows("customer"))
                    .extracting(row -> row.get("referred_by"))
                    .containsExactly(8L, 4L);
            k.settle();
            assertConverged(k);
            for (Cluster.Node n : k.devices) {
                assertThat(n.engine().waitingChanges()).as(n.name()).isZero();
            }
        }
    }

    /**
     * Two writers' versions of one order wait on the hub for the same missing customer, the newer one
     * first. Only one change per row is held: under LWW the older one arriving later does not take its
     * place, so the newer write is the one applied when the customer arrives.
     */
    @Test
    void anOlderChangeForARowAlreadyHeldDoesNotReplaceTheNewerOne() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.LWW)) {
            String x = k.device(0).engine().nodeUuid();
            String y = k.device(1).engine().nodeUuid();
            long now = System.currentTimeMillis() << 16;
            Change customer = new Change(
                    "customer", List.of(1L), Op.UPSERT, Map.of("id", 1L, "name", "Ada"), now, x, 1, 0, Map.of());
            Change older = new Change(
                    "orders",
                    List.of(10L),
                    Op.UPSERT,
                    Map.of("id", 10L, "customer_id", 1L, "total", 1L),
                    now + 1,
                    y,
                    1,
                    0,
                    Map.of());
            Change newer = new Change(
                    "orders",
                    List.of(10L),
                    Op.UPSERT,
                    Map.of("id", 10L, "customer_id", 1L, "total", 2L),
                    now + 2,
                    x,
                    1,
                    0,
                    Map.of());
            assertThat(k.hub.engine().acceptPush(x, List.of(newer)).pending()).isEqualTo(1);
            PushResult late = k.hub.engine().acceptPush(y, List.of(older));
            assertThat(late.pending()).isEqualTo(1);
            assertThat(late.superseded()).isEqualTo(1);
            assertThat(k.hub.engine().acceptPush(x, List.of(customer)).pending())
                    .isZero();
            assertThat(k.hub.rows("orders"))
                    .singleElement()
                    .satisfies(r -> assertThat(r).containsEntry("total", 2L));
        }
    }

    @Test
    void badBatchesAreRefusedWholeWithAClearMessage() {
        try (Cluster k = new Cluster(dir, 1, ConflictPolicy.LWW)) {
            String from = k.device(0).engine().nodeUuid();
            Change good = new Change(
                    "customer", List.of(1L), Op.UPSERT, Map.of("id", 1L, "name", "ok"), 5L << 16, from, 1, 0, Map.of());
            Change unknownTable = new Change("nope", List.of(1L), Op.DELETE, Map.of(), 5L << 16, from, 1, 0, Map.of());
            Change unknownColumn = new Change(
                    "customer",
                    List.of(2L),
                    Op.UPSERT,
                    Map.of("id", 2L, "evil\"col", 1L),
                    5L << 16,
                    from,
                    1,
                    0,
                    Map.of());
            Change otherKey = new Change(
                    "customer", List.of(3L), Op.UPSERT, Map.of("id", 4L, "name", "x"), 5L << 16, from, 1, 0, Map.of());
            assertThatThrownBy(() -> k.hub.engine().acceptPush(from, List.of(good, otherKey)))
                    .isInstanceOf(ShuttleException.class)
                    .hasMessageContaining("changes[1] (customer): value of key column \"id\" does not match");
            assertThat(k.hub.rows("customer")).isEmpty(); // nothing half-applied
            // a table or column the hub does not sync is a rejected write of its own (DESIGN §10)
            PushResult r = k.hub.engine().acceptPush(from, List.of(good, unknownTable, unknownColumn));
            assertThat(r.refused())
                    .extracting(PushResult.Refusal::index, PushResult.Refusal::code)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(1, ErrorCode.SCHEMA_MISMATCH),
                            org.assertj.core.groups.Tuple.tuple(2, ErrorCode.SCHEMA_MISMATCH));
            assertThat(r.refused().get(0).message()).contains("table \"nope\" is not synced");
            assertThat(r.refused().get(1).message()).contains("unknown or unreplicated column \"evil\"col\"");
            assertThat(k.hub.rows("customer")).hasSize(1);
        }
    }

    @Test
    void tombstonesArePurgedOnceAllPeersArePastThemAndALaggingPeerResyncs() {
        try (Cluster k = new Cluster(dir, 2, ConflictPolicy.LWW)) {
            k.device(0).sql("INSERT INTO customer (id, name) VALUES (1, 'a'), (2, 'b')");
            k.settle();
            k.device(0).sql("DELETE FROM customer WHERE id = 1");
            k.sync(k.device(0));
            k.sync(k.device(0)); // acknowledges its position
            k.sync(k.device(1));
            k.sync(k.device(1));
            k.sync(k.device(0)); // each has now asked from past the tombstone
            assertThat(k.hub.engine().purgeTombstones()).isEqualTo(1);
            assertThat(k.hub.rows("customer")).hasSize(1);
            // a device whose cursor is behind the horizon is told to resync from a snapshot
            assertThat(k.hub.engine()
                            .servePull(k.device(1).engine().nodeUuid(), 0, 100)
                            .resyncRequired())
                    .isTrue();
        }
    }
}
