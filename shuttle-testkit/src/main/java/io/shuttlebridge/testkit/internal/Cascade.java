package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.internal.schema.Table;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The statements an application with foreign keys on must run to delete a row: rows that refer
 * to it through a nullable foreign key have that reference set to NULL; rows that refer to it
 * through a required one (or one in their primary key) are deleted first, and so on down. Checks
 * are deferred to the commit, so rows that refer to each other go together.
 */
final class Cascade {
    /** A row by its table and primary key (normalized values). */
    private record Ref(String table, List<Object> key) {}

    /** A nullable reference of {@code row} to set to NULL. */
    private record Unlink(Ref row, List<String> columns) {}

    private final SchemaModel schema;
    private final Node node;
    private final LinkedHashSet<Ref> deletes = new LinkedHashSet<>();
    private final List<Unlink> unlinks = new ArrayList<>();

    private Cascade(SchemaModel schema, Node node) {
        this.schema = schema;
        this.node = node;
    }

    /** The statements that delete the row of {@code table} with primary key {@code key} from {@code node}. */
    static String[] delete(SchemaModel schema, Node node, String table, List<Object> key) {
        Cascade c = new Cascade(schema, node);
        c.collect(new Ref(table, key));
        return c.statements();
    }

    private void collect(Ref root) {
        Deque<Ref> queue = new ArrayDeque<>();
        deletes.add(root);
        queue.add(root);
        while (!queue.isEmpty()) {
            Ref parent = queue.poll();
            for (ForeignKey fk : schema.referencing(parent.table())) {
                List<Object> referenced = referencedValues(parent, fk);
                if (referenced == null || referenced.contains(null)) {
                    continue;
                }
                Table child = schema.table(fk.childTable());
                for (List<Object> childKey : Workload.keys(node, child, SqlText.where(fk.childColumns(), referenced))) {
                    Ref ref = new Ref(child.name(), childKey);
                    if (ref.equals(parent)) {
                        continue; // a row referring to itself goes with itself
                    }
                    if (Workload.optional(child, fk)) {
                        unlinks.add(new Unlink(ref, fk.childColumns()));
                    } else if (deletes.add(ref)) {
                        queue.add(ref);
                    }
                }
            }
        }
    }

    /** The values of the referenced columns of a row (its key when they are its primary key); null when the row is gone. */
    private List<Object> referencedValues(Ref row, ForeignKey fk) {
        Table t = schema.table(row.table());
        if (fk.parentColumns().equals(t.primaryKey())) {
            return row.key();
        }
        List<Map<String, Object>> found = node.query("SELECT " + SqlText.columns(fk.parentColumns()) + " FROM "
                + SqlText.quote(t.name()) + " WHERE " + SqlText.where(t.primaryKey(), row.key()));
        return found.isEmpty() ? null : RowValues.values(found.get(0), fk.parentColumns());
    }

    private String[] statements() {
        List<String> out = new ArrayList<>();
        if (node.url().startsWith("jdbc:sqlite:")) {
            out.add("PRAGMA defer_foreign_keys = ON");
        }
        for (Unlink u : unlinks) {
            if (deletes.contains(u.row())) {
                continue;
            }
            Table t = schema.table(u.row().table());
            List<String> sets = u.columns().stream()
                    .map(col -> SqlText.quote(col) + " = NULL")
                    .toList();
            out.add("UPDATE " + SqlText.quote(t.name()) + " SET " + String.join(", ", sets) + " WHERE "
                    + SqlText.where(t.primaryKey(), u.row().key()));
        }
        List<Ref> ordered = new ArrayList<>(deletes);
        for (int i = ordered.size() - 1; i >= 0; i--) { // children before their parents
            Ref r = ordered.get(i);
            Table t = schema.table(r.table());
            out.add("DELETE FROM " + SqlText.quote(t.name()) + " WHERE " + SqlText.where(t.primaryKey(), r.key()));
        }
        return out.toArray(String[]::new);
    }
}
