package io.shuttlebridge.core.capture;

import java.util.List;

/**
 * What changed in a synced database's tables since capture last ran on them (DESIGN §10), as {@code
 * shuttle schema check} shows it and {@code shuttle schema apply} or a running hub acts on it.
 *
 * @param version the version of the synced schema after this (as {@code /v1/schema} and pull answers say it)
 * @param safe the additive changes found (a new nullable or defaulted column, a new table with a primary
 *     key): taken by apply, one line each
 * @param refused the changes that would lose data or break devices (a table or column dropped or renamed,
 *     a type or key changed, a new NOT NULL column without a default): never taken; the table keeps syncing
 *     with the shape it was captured with, and each line says what to do
 * @param changed whether this call changed the synced schema (apply only; always false for a check)
 */
public record SchemaChanges(long version, List<String> safe, List<String> refused, boolean changed) {
    public SchemaChanges {
        safe = List.copyOf(safe);
        refused = List.copyOf(refused);
    }

    /** Whether every change found can be taken. */
    public boolean isSafe() {
        return refused.isEmpty();
    }
}
