package io.shuttlebridge.bridge.internal.resolve;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The parents of a chunk's rows within the chunk, by the table's self-referencing foreign keys: the
 * order that writes parents first, and the rows that reference each other in a cycle.
 */
final class ChunkParents {
    private ChunkParents() {}

    /**
     * For each row, the index of its parent among the rows by one foreign key ({@code own}: the row's
     * own columns the key references; {@code fk}: its key columns), or -1 (none, itself, or not in the chunk).
     */
    static int[] parentIndex(List<Object[]> rows, int[] own, int[] fk) {
        int n = rows.size();
        Map<String, Integer> byKey = new HashMap<>();
        for (int r = 0; r < n; r++) {
            Object[] v = ParentResolver.values(rows.get(r), own);
            if (v != null) {
                byKey.put(ParentResolver.key(v), r);
            }
        }
        int[] parent = new int[n];
        for (int r = 0; r < n; r++) {
            Object[] v = ParentResolver.values(rows.get(r), fk);
            Integer p = v == null ? null : byKey.get(ParentResolver.key(v));
            parent[r] = p == null || p == r ? -1 : p;
        }
        return parent;
    }

    /**
     * The order in which to write rows so that a row whose parent (by any of the given parent indexes)
     * is among them comes after that parent; otherwise the given order is kept. Cycles keep their given order.
     */
    static int[] parentFirst(int n, List<int[]> parentIndexes) {
        List<int[]> parentsOf = new ArrayList<>(Collections.nCopies(n, null));
        for (int[] index : parentIndexes) {
            for (int r = 0; r < n; r++) {
                if (index[r] >= 0) {
                    int[] before = parentsOf.get(r);
                    int[] now = before == null ? new int[1] : Arrays.copyOf(before, before.length + 1);
                    now[now.length - 1] = index[r];
                    parentsOf.set(r, now);
                }
            }
        }
        int[] order = new int[n];
        byte[] state = new byte[n]; // 0 new, 1 visiting, 2 placed
        int[] next = {0};
        for (int r = 0; r < n; r++) {
            place(r, parentsOf, state, order, next);
        }
        return order;
    }

    private static void place(int start, List<int[]> parentsOf, byte[] state, int[] order, int[] next) {
        if (state[start] != 0) {
            return;
        }
        // iterative depth-first walk up the parent chain, placing ancestors first
        ArrayList<int[]> stack = new ArrayList<>();
        stack.add(new int[] {start, 0});
        state[start] = 1;
        while (!stack.isEmpty()) {
            int[] top = stack.get(stack.size() - 1);
            int[] parents = parentsOf.get(top[0]);
            if (parents != null && top[1] < parents.length) {
                int p = parents[top[1]++];
                if (state[p] == 0) {
                    state[p] = 1;
                    stack.add(new int[] {p, 0});
                }
                continue;
            }
            stack.remove(stack.size() - 1);
            state[top[0]] = 2;
            order[next[0]++] = top[0];
        }
    }

    /**
     * The new rows that reach themselves by following their parents through new rows only: they cannot
     * be inserted one after the other while the foreign key is checked at once. A row whose parent is
     * already stored (an update) breaks a cycle, since it is there before any of them is inserted.
     */
    static boolean[] newCycles(int[] parent, boolean[] newRow) {
        int n = parent.length;
        boolean[] cycle = new boolean[n];
        byte[] state = new byte[n]; // 0 not seen, 1 on the current walk, 2 done
        int[] walk = new int[n];
        for (int start = 0; start < n; start++) {
            int length = 0;
            int r = start;
            while (r >= 0 && newRow[r] && state[r] == 0) {
                state[r] = 1;
                walk[length++] = r;
                r = parent[r];
            }
            if (r >= 0 && newRow[r] && state[r] == 1) {
                for (int i = length - 1; i >= 0; i--) { // the walk ends in the cycle through r
                    cycle[walk[i]] = true;
                    if (walk[i] == r) {
                        break;
                    }
                }
            }
            for (int i = 0; i < length; i++) {
                state[walk[i]] = 2;
            }
        }
        return cycle;
    }
}
