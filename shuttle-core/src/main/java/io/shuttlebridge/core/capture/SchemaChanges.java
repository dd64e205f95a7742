package io.shuttlebridge.core.capture;

import java.util.List;

/**
 * What changed in a synced database's tables since capture last ran on them (DESIGN §10), as {@code
 * shuttle schema check} shows it and {@code shuttle schema apply} or a running hub acts on it.
 *
 * @param version the version of the synced schema after this (as {@code /v1/schema} and pull answers say it)
 * @param items each change found, table by table: the additive ones (a new nullable or defaulted column, a
 *     new table with a primary key) are taken by apply; the ones that would lose data or break devices (a
 *     table or column dropped or renamed, a type or key changed, a new NOT NULL column without a default)
 *     never are: the table keeps syncing with the shape it was captured with, and the item says what to do
 * @param changed whether this call changed the synced schema (apply only; always false for a check)
 */
public record SchemaChanges(long version, List<Item> items, boolean changed) {
    public SchemaChanges {
        items = List.copyOf(items);
    }

    /**
     * One change of one table.
     *
     * @param table the table
     * @param column the column, or null for a change of the table as a whole (a new or dropped table)
     * @param safe whether it is additive (taken by apply) rather than refused
     * @param message what changed and, for a refused change, what to do
     */
    public record Item(String table, String column, boolean safe, String message) {}

    /** The additive changes found, one line each. */
    public List<String> safe() {
        return items.stream().filter(Item::safe).map(Item::message).toList();
    }

    /** The refused changes found, one line each, with what to do. */
    public List<String> refused() {
        return items.stream().filter(i -> !i.safe()).map(Item::message).toList();
    }

    /** Whether every change found can be taken. */
    public boolean isSafe() {
        return items.stream().allMatch(Item::safe);
    }
}
