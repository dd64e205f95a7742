package io.shuttlebridge.bridge.internal.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChunkParentsTest {
    /** Rows (id, parent id) of a self-referencing table. */
    static List<Object[]> rows(long[]... idAndParent) {
        return Arrays.stream(idAndParent)
                .map(r -> new Object[] {r[0], r[1] < 0 ? null : r[1]})
                .toList();
    }

    static int[] parents(List<Object[]> rows) {
        return ChunkParents.parentIndex(rows, new int[] {0}, new int[] {1});
    }

    static boolean[] all(int n, boolean value) {
        boolean[] out = new boolean[n];
        Arrays.fill(out, value);
        return out;
    }

    @Test
    void parentIndexPointsAtTheParentInTheChunkOnly() {
        List<Object[]> rows = rows(new long[] {1, -1}, new long[] {2, 1}, new long[] {3, 9}, new long[] {4, 4});
        assertThat(parents(rows)).containsExactly(-1, 0, -1, -1);
    }

    @Test
    void parentsComeFirstAndOtherRowsKeepTheirOrder() {
        List<Object[]> rows = rows(new long[] {4, 3}, new long[] {3, 2}, new long[] {5, -1}, new long[] {2, 1});
        assertThat(ChunkParents.parentFirst(rows.size(), List.of(parents(rows))))
                .containsExactly(3, 1, 0, 2);
    }

    @Test
    void aCycleOfNewRowsIsFoundWithoutTheRowsHangingOffIt() {
        // 1 -> 2 -> 3 -> 1 is a cycle; 4 hangs off it, 5 has its parent outside the chunk, 6 refers to itself
        List<Object[]> rows = rows(
                new long[] {1, 2},
                new long[] {2, 3},
                new long[] {3, 1},
                new long[] {4, 1},
                new long[] {5, 9},
                new long[] {6, 6});
        assertThat(ChunkParents.newCycles(parents(rows), all(6, true)))
                .containsExactly(true, true, true, false, false, false);
    }

    @Test
    void aStoredRowBreaksACycle() {
        List<Object[]> rows = rows(new long[] {1, 2}, new long[] {2, 1}, new long[] {3, 4}, new long[] {4, 3});
        boolean[] newRows = {true, true, true, false};
        assertThat(ChunkParents.newCycles(parents(rows), newRows)).containsExactly(true, true, false, false);
    }
}
