package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.definition.EntityDefinition;
import io.shuttlebridge.bridge.internal.target.TargetSchema;
import io.shuttlebridge.bridge.internal.target.TargetTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Orders entities by the foreign keys between their target tables. */
public final class EntityOrder {
    private EntityOrder() {}

    /**
     * Children before parents: an entity whose table references another entity's table comes before
     * it. Entities not related keep their reverse definition order; a cycle is broken at its first entity.
     */
    public static List<EntityDefinition> childrenFirst(Connection c, Dialect dialect, List<EntityDefinition> entities) {
        List<Set<Integer>> parents = new ArrayList<>();
        for (EntityDefinition e : entities) {
            Set<Integer> p = new HashSet<>();
            TargetTable table = TargetSchema.discover(c, dialect, e.table());
            for (TargetTable.ForeignKey fk : table.foreignKeys()) {
                for (int i = 0; i < entities.size(); i++) {
                    if (entities.get(i).table().equalsIgnoreCase(fk.parentTable())
                            && !entities.get(i).table().equalsIgnoreCase(e.table())) {
                        p.add(i);
                    }
                }
            }
            parents.add(p);
        }
        // parents first (depth-first over references), then reversed
        List<EntityDefinition> parentFirst = new ArrayList<>();
        boolean[] placed = new boolean[entities.size()];
        boolean[] visiting = new boolean[entities.size()];
        for (int i = 0; i < entities.size(); i++) {
            place(i, parents, placed, visiting, entities, parentFirst);
        }
        List<EntityDefinition> out = new ArrayList<>(parentFirst);
        Collections.reverse(out);
        return out;
    }

    private static void place(
            int i,
            List<Set<Integer>> parents,
            boolean[] placed,
            boolean[] visiting,
            List<EntityDefinition> entities,
            List<EntityDefinition> out) {
        if (placed[i] || visiting[i]) {
            return;
        }
        visiting[i] = true;
        for (int p : parents.get(i).stream().sorted().toList()) {
            place(p, parents, placed, visiting, entities, out);
        }
        visiting[i] = false;
        placed[i] = true;
        out.add(entities.get(i));
    }
}
