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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * FIELD_LWW on a row first made by a writer that lacked a column (a device that had not followed its hub's
 * schema yet): the column was not written, so an older write of it from a device that has it still wins.
 */
class FieldMergeTest {
    private static final SyncedTable T = new SyncedTable(
            1,
            new Table(
                    "t",
                    List.of(
                            new Column("id", "INTEGER", Types.INTEGER, false, 1),
                            new Column("a", "TEXT", Types.VARCHAR, true, 0),
                            new Column("nick", "TEXT", Types.VARCHAR, true, 0)),
                    List.of()),
            ConflictPolicy.FIELD_LWW,
            Set.of(),
            null);

    @Test
    void aColumnARowWasMadeWithoutIsTakenFromAnOlderWriteOfIt() {
        // B, without "nick", makes the row at 20; A had made it at 10 with a nick, and arrives second
        Change fromB = upsert(Map.of("id", 1L, "a", "b"), 20, "B");
        Verdict first = FieldMerge.onEntry(T, null, fromB);
        assertThat(first).isInstanceOf(Verdict.TakeColumns.class);
        Map<String, Stamp> stamps = ((Verdict.TakeColumns) first).change().columnStamps();
        assertThat(stamps.get("a")).isEqualTo(new Stamp(20, "B"));
        assertThat(stamps.get("nick").newerThan(new Stamp(1, "A")))
                .as("a column not written is older than any write of it")
                .isFalse();

        Map<String, Object> here = new LinkedHashMap<>();
        here.put("id", 1L);
        here.put("a", "b");
        here.put("nick", null);
        Change fromA = upsert(Map.of("id", 1L, "a", "a", "nick", "ann"), 10, "A");
        Verdict second =
                FieldMerge.merge(T, new LocalRow(1L, Op.UPSERT, new Stamp(20, "B"), 1, 0), fromA, stamps, here);
        assertThat(second).isInstanceOf(Verdict.MergeColumns.class);
        assertThat(((Verdict.MergeColumns) second).values())
                .containsEntry("nick", "ann")
                .containsEntry("a", "b");
    }

    private static Change upsert(Map<String, Object> values, long hlc, String origin) {
        return new Change("t", List.of(values.get("id")), Op.UPSERT, values, hlc, origin, 1, 0, Map.of());
    }
}
