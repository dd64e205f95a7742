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

    /**
     * Found by the schema-change schedules (seeds 9136, 9176): a column neither replica wrote carries an
     * unwritten stamp under each row's writer, so the two stamps differ in origin only. The same value is no
     * difference: the merge neither takes it nor sends a merge back (a merge is a new write, under a fresh
     * stamp, which outranked a later delete of the row). Of two values, one beats NULL (the NULL a device holds
     * until it takes the hub's values of a column it added, or a resurrected row's), whatever the origins.
     */
    @Test
    void aColumnNeitherSideWroteIsNoWriteToTakeOrSendBack() {
        Stamp unwrittenHere = new Stamp(FieldMerge.UNWRITTEN, "A");
        Stamp unwrittenThere = new Stamp(FieldMerge.UNWRITTEN, "Z"); // its origin sorts after this row's
        LocalRow row = new LocalRow(1L, Op.UPSERT, new Stamp(10, "A"), 1, 0);
        Map<String, Stamp> here = Map.of("a", new Stamp(10, "A"), "nick", unwrittenHere);

        // the same (NULL) nick on both sides, the sender's "a" newer: its row is taken as it is
        Verdict same = FieldMerge.merge(
                T, row, upsert(values("b", null), 20, "Z", Map.of("nick", unwrittenThere)), here, values("a", null));
        assertThat(same).isInstanceOf(Verdict.TakeColumns.class);
        assertThat(((Verdict.TakeColumns) same).change().columnStamps()).containsEntry("nick", unwrittenHere);

        // nothing newer but an unwritten nick of the same value: nothing to do
        assertThat(FieldMerge.merge(
                        T,
                        row,
                        upsert(values("a", null), 5, "Z", Map.of("nick", unwrittenThere)),
                        here,
                        values("a", null)))
                .isEqualTo(Verdict.SUPERSEDED);

        // the sender's value beats the NULL here, though its stamp sorts before this one
        Map<String, Stamp> hereLater = Map.of("a", new Stamp(10, "Z"), "nick", unwrittenThere);
        Verdict value = FieldMerge.merge(
                T,
                new LocalRow(1L, Op.UPSERT, new Stamp(10, "Z"), 1, 0),
                upsert(values("a", "3"), 5, "A", Map.of("a", new Stamp(5, "A"), "nick", unwrittenHere)),
                hereLater,
                values("a", null));
        assertThat(value).isInstanceOf(Verdict.MergeColumns.class);
        assertThat(((Verdict.MergeColumns) value).values()).containsEntry("nick", "3");

        // this value beats the sender's NULL: kept, and sent back with the sender's newer "a"
        Verdict kept = FieldMerge.merge(
                T, row, upsert(values("b", null), 20, "Z", Map.of("nick", unwrittenThere)), here, values("a", "3"));
        assertThat(kept).isInstanceOf(Verdict.MergeColumns.class);
        assertThat(((Verdict.MergeColumns) kept).values())
                .containsEntry("nick", "3")
                .containsEntry("a", "b");
    }

    private static Map<String, Object> values(String a, String nick) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", 1L);
        v.put("a", a);
        v.put("nick", nick);
        return v;
    }

    private static Change upsert(Map<String, Object> values, long hlc, String origin, Map<String, Stamp> stamps) {
        return new Change("t", List.of(values.get("id")), Op.UPSERT, values, hlc, origin, 1, 0, stamps);
    }

    private static Change upsert(Map<String, Object> values, long hlc, String origin) {
        return new Change("t", List.of(values.get("id")), Op.UPSERT, values, hlc, origin, 1, 0, Map.of());
    }
}
