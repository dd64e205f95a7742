package io.shuttlebridge.core.internal.schema;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The order in which changes to a set of tables are applied: parents before children for
 * upserts, children before parents for deletes.
 *
 * <p>Foreign-key cycles (strongly connected groups of tables) and self-references cannot be
 * ordered by table; they are reported here and the apply path handles them with deferred
 * constraint checks and a pending-children queue. Nothing is silently dropped: a foreign key to a
 * table outside the synced set is reported as external.
 */
public final class ApplyPlan {
    private final List<String> upsertOrder;
    private final List<List<String>> cycles;
    private final Set<String> selfReferencing;
    private final List<ForeignKey> externalReferences;
    private final Map<String, Integer> rank;

    private ApplyPlan(
            List<String> upsertOrder,
            List<List<String>> cycles,
            Set<String> selfReferencing,
            List<ForeignKey> externalReferences) {
        this.upsertOrder = List.copyOf(upsertOrder);
        this.cycles = cycles.stream().map(List::copyOf).toList();
        this.selfReferencing = Collections.unmodifiableSet(new TreeSet<>(selfReferencing));
        this.externalReferences = List.copyOf(externalReferences);
        Map<String, Integer> r = new HashMap<>();
        for (int i = 0; i < this.upsertOrder.size(); i++) {
            r.put(this.upsertOrder.get(i), i);
        }
        this.rank = Map.copyOf(r);
    }

    /** Builds the plan for the given tables (deterministic: ties are broken by table name). */
    public static ApplyPlan of(Collection<Table> tables) {
        Map<String, Table> byName = new TreeMap<>();
        tables.forEach(t -> byName.put(t.name(), t));

        Map<String, Set<String>> parents = new TreeMap<>();
        Set<String> self = new TreeSet<>();
        List<ForeignKey> external = new ArrayList<>();
        for (Table t : byName.values()) {
            Set<String> ps = new TreeSet<>();
            for (ForeignKey fk : t.foreignKeys()) {
                if (fk.selfReferencing()) {
                    self.add(t.name());
                } else if (byName.containsKey(fk.parentTable())) {
                    ps.add(fk.parentTable());
                } else {
                    external.add(fk);
                }
            }
            parents.put(t.name(), ps);
        }

        List<List<String>> components = new Tarjan(parents).components();
        Map<String, Integer> componentOf = new HashMap<>();
        for (int i = 0; i < components.size(); i++) {
            for (String name : components.get(i)) {
                componentOf.put(name, i);
            }
        }
        // Kahn's algorithm over the condensation, smallest component name first.
        int n = components.size();
        List<Set<Integer>> children = new ArrayList<>();
        int[] missingParents = new int[n];
        for (int i = 0; i < n; i++) {
            children.add(new TreeSet<>());
        }
        for (var e : parents.entrySet()) {
            int child = componentOf.get(e.getKey());
            for (String p : e.getValue()) {
                int parent = componentOf.get(p);
                if (parent != child && children.get(parent).add(child)) {
                    missingParents[child]++;
                }
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>(
                (a, b) -> components.get(a).get(0).compareTo(components.get(b).get(0)));
        for (int i = 0; i < n; i++) {
            if (missingParents[i] == 0) {
                ready.add(i);
            }
        }
        List<String> order = new ArrayList<>();
        List<List<String>> cycles = new ArrayList<>();
        while (!ready.isEmpty()) {
            int c = ready.poll();
            order.addAll(components.get(c));
            if (components.get(c).size() > 1) {
                cycles.add(components.get(c));
            }
            for (int child : children.get(c)) {
                if (--missingParents[child] == 0) {
                    ready.add(child);
                }
            }
        }
        return new ApplyPlan(order, cycles, self, external);
    }

    /** Table names, parents before children. */
    public List<String> upsertOrder() {
        return upsertOrder;
    }

    /** Table names, children before parents. */
    public List<String> deleteOrder() {
        List<String> reversed = new ArrayList<>(upsertOrder);
        Collections.reverse(reversed);
        return reversed;
    }

    /** Position of a table in {@link #upsertOrder()}; tables outside the plan sort last. */
    public int rank(String table) {
        return rank.getOrDefault(table, Integer.MAX_VALUE);
    }

    /** Groups of tables whose foreign keys form a cycle (each group sorted by name). */
    public List<List<String>> cycles() {
        return cycles;
    }

    /** Tables with a foreign key to themselves. */
    public Set<String> selfReferencing() {
        return selfReferencing;
    }

    /** Foreign keys that point at tables outside the synced set (not ordered, reported). */
    public List<ForeignKey> externalReferences() {
        return externalReferences;
    }

    /** True when rows of this table may depend on rows applied later in the same batch. */
    public boolean needsDeferredChecks(String table) {
        return selfReferencing.contains(table) || cycles.stream().anyMatch(c -> c.contains(table));
    }

    /** A readable summary, one line per finding. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("apply order: " + String.join(" -> ", upsertOrder));
        for (List<String> c : cycles) {
            lines.add("foreign-key cycle: " + String.join(" <-> ", c) + " (applied with deferred checks)");
        }
        for (String s : selfReferencing) {
            lines.add("self-reference: " + s + " (applied with deferred checks)");
        }
        for (ForeignKey fk : externalReferences) {
            lines.add("reference outside the synced tables: " + fk.childTable() + fk.childColumns() + " -> "
                    + fk.parentTable() + fk.parentColumns());
        }
        return lines;
    }

    /** Tarjan's strongly connected components; each component sorted by name. */
    private static final class Tarjan {
        private final Map<String, Set<String>> edges;
        private final Map<String, Integer> index = new HashMap<>();
        private final Map<String, Integer> low = new HashMap<>();
        private final Deque<String> stack = new ArrayDeque<>();
        private final Set<String> onStack = new HashSet<>();
        private final List<List<String>> result = new ArrayList<>();
        private int counter;

        Tarjan(Map<String, Set<String>> edges) {
            this.edges = new LinkedHashMap<>(edges);
        }

        List<List<String>> components() {
            for (String v : edges.keySet()) {
                if (!index.containsKey(v)) {
                    visit(v);
                }
            }
            return result;
        }

        // Iterative to survive schemas with long reference chains.
        private void visit(String root) {
            Deque<Map.Entry<String, Iterator<String>>> work = new ArrayDeque<>();
            enter(root);
            work.push(Map.entry(root, edges.getOrDefault(root, Set.of()).iterator()));
            while (!work.isEmpty()) {
                var frame = work.peek();
                String v = frame.getKey();
                var it = frame.getValue();
                if (it.hasNext()) {
                    String w = it.next();
                    if (!index.containsKey(w)) {
                        enter(w);
                        work.push(Map.entry(w, edges.getOrDefault(w, Set.of()).iterator()));
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                work.pop();
                if (!work.isEmpty()) {
                    String parent = work.peek().getKey();
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    List<String> component = new ArrayList<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        component.add(w);
                    } while (!w.equals(v));
                    Collections.sort(component);
                    result.add(component);
                }
            }
        }

        private void enter(String v) {
            index.put(v, counter);
            low.put(v, counter);
            counter++;
            stack.push(v);
            onStack.add(v);
        }
    }
}
