package io.shuttlebridge.core.internal.sync.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The middle tier of a chain device → store hub → HQ hub: the store hub holds row 1 as its device
 * {@code D} wrote it (version 2 on base 1) and pulls from HQ a later HQ write of the row (version 3 on
 * base 2, HQ having written versions 2 and 3 itself). By versions alone HQ's write was made on the
 * version the store holds, yet it never saw the device's write: while the store has not relayed that
 * write to HQ it is a conflict (recorded, HQ's row adopted), as for a device's own unpushed write.
 */
class TierConcurrencyTest {
    private final ApplyRules store = new ApplyRules("STORE");
    private final Change fromHq =
            new Change("t", List.of(1L), Op.UPSERT, Map.of("id", 1L, "a", "hq"), 300, "HQ", 3, 2, Map.of());

    @ParameterizedTest
    @EnumSource(
            value = ConflictPolicy.class,
            names = {"VERSION_STRICT", "MANUAL"})
    void aDeviceWriteNotRelayedYetIsConcurrentWithHqsWrite(ConflictPolicy policy) {
        LocalRow relayPending = new LocalRow(1L, Op.UPSERT, new Stamp(200, "D"), 2, 1, true);
        assertThat(store.concurrent(Role.DEVICE, relayPending, fromHq)).isTrue();
        assertThat(store.decide(table(policy), Role.DEVICE, relayPending, fromHq))
                .isInstanceOf(Verdict.ReadLocal.class);
        Verdict onConcurrent = store.onConcurrent(table(policy), Role.DEVICE, relayPending, fromHq, Map.of("a", "d"));
        assertThat(onConcurrent).isEqualTo(new Verdict.RecordConflict(Map.of("a", "d"), Verdict.Then.ADOPT));
    }

    @ParameterizedTest
    @EnumSource(
            value = ConflictPolicy.class,
            names = {"VERSION_STRICT", "MANUAL"})
    void onceRelayedHqsLaterWriteSucceedsIt(ConflictPolicy policy) {
        LocalRow relayed = new LocalRow(1L, Op.UPSERT, new Stamp(200, "D"), 2, 1, false);
        assertThat(store.concurrent(Role.DEVICE, relayed, fromHq)).isFalse();
        assertThat(store.decide(table(policy), Role.DEVICE, relayed, fromHq)).isEqualTo(Verdict.TAKE);
    }

    private static SyncedTable table(ConflictPolicy policy) {
        Table table = new Table(
                "t",
                List.of(
                        new Column("id", "INTEGER", Types.INTEGER, false, 1),
                        new Column("a", "TEXT", Types.VARCHAR, true, 0)),
                List.of());
        return new SyncedTable(1, table, policy, Set.of(), null);
    }
}
