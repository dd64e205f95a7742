package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.MetaKeys;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The columns a device added to its tables when its hub's schema gained them, whose values it has not
 * taken from the hub yet (DESIGN §10: a device never overwrites a column it does not know with NULL). Its
 * rows hold NULL there until {@link NewColumnFill} writes the hub's values in; meanwhile a row it pushes
 * leaves such a column out where it is NULL here, and the hub keeps its own value (a hub takes a row
 * without some columns as a write of the others). Kept in {@code _shuttle_meta}, one key per table,
 * written in the transaction that adds the columns, so an interrupted sync fills them the next time.
 *
 * <p>A hub that is itself a device (a store hub of a tier) announces the columns it has not filled yet
 * ({@code unfilled} in its schema): its rows hold NULL there until it has its own hub's values, which it
 * writes without capturing them, so no change of them reaches its devices. A device of it keeps such
 * columns noted unfilled, and {@link #awaitedFromHub awaited from the hub}, until the hub no longer
 * announces them; only then does it take their values from the hub's snapshot and clear the note. The
 * values so reach every tier while no one writes a change of them.
 * Internal.
 */
public final class NewColumns {
    private static final String KEY = "column_fill:";
    /**
     * Of a table's unfilled columns, those the hub announced it has not filled itself yet (a store hub of a
     * tier that has not taken its own hub's values): the device keeps them unfilled until the hub has.
     */
    private static final String HUB_KEY = "hub_unfilled:";

    private NewColumns() {}

    /** Notes that {@code table} gained {@code columns} whose values are the hub's to give. */
    public static void add(Connection c, String table, Collection<String> columns) throws SQLException {
        if (columns.isEmpty()) {
            return;
        }
        Set<String> all = of(c, table);
        if (all.addAll(columns)) {
            MetaKeys.putSet(c, KEY + table, all);
        }
    }

    /** The tables with columns not filled yet, and those columns. */
    public static Map<String, Set<String>> pending(Connection c) throws SQLException {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        MetaKeys.withPrefix(c, KEY).forEach((table, value) -> {
            if (value != null && !value.isEmpty()) {
                out.put(table, MetaKeys.setOf(value));
            }
        });
        return out;
    }

    private static Set<String> of(Connection c, String table) throws SQLException {
        return MetaKeys.set(c, KEY + table);
    }

    /** The table's new columns hold the hub's values now. */
    public static void filled(Connection c, String table) throws SQLException {
        MetaKeys.remove(c, KEY + table, HUB_KEY + table);
    }

    /**
     * The table's new columns hold the hub's values now, except those {@link #awaitedFromHub awaited from the
     * hub}, which stay noted unfilled.
     */
    public static void filledAsTheHubIs(Connection c, String table) throws SQLException {
        Set<String> awaited = new LinkedHashSet<>(awaitedFromHub(c, table));
        awaited.retainAll(of(c, table));
        filled(c, table);
        if (!awaited.isEmpty()) {
            add(c, table, awaited);
            MetaKeys.putSet(c, HUB_KEY + table, awaited);
        }
    }

    /**
     * Notes which of the table's unfilled columns its hub announced it has not filled itself
     * ({@code hubUnfilled}), in place of what it announced before.
     */
    public static void hubUnfilled(Connection c, String table, Collection<String> hubUnfilled) throws SQLException {
        Set<String> awaited = new LinkedHashSet<>(hubUnfilled);
        awaited.retainAll(of(c, table));
        if (awaited.isEmpty()) {
            MetaKeys.remove(c, HUB_KEY + table);
        } else {
            MetaKeys.putSet(c, HUB_KEY + table, awaited);
        }
    }

    /**
     * Notes the columns of a table taken from a hub (a clone) that the hub announced it has not filled
     * itself: unfilled here too, and awaited from the hub.
     */
    public static void clonedUnfilled(Connection c, String table, Collection<String> hubUnfilled) throws SQLException {
        add(c, table, hubUnfilled);
        hubUnfilled(c, table, hubUnfilled);
    }

    /** Of the table's unfilled columns, those its hub has not filled itself yet, as it last announced. */
    public static Set<String> awaitedFromHub(Connection c, String table) throws SQLException {
        return MetaKeys.set(c, HUB_KEY + table);
    }

    /** Whether some table's unfilled columns are awaited from the hub (its schema tells when they no longer are). */
    public static boolean awaitingHub(Connection c) throws SQLException {
        return MetaKeys.anyWithPrefix(c, HUB_KEY);
    }

    /**
     * The changes as they may leave this device: a row of a table with columns not filled yet goes
     * without those of them that are NULL here (and without their column stamps), so the receiver keeps
     * its values.
     */
    public static List<Change> withoutUnfilled(List<Change> changes, Map<String, Set<String>> pending) {
        if (pending.isEmpty()) {
            return changes;
        }
        List<Change> out = new ArrayList<>(changes.size());
        for (Change ch : changes) {
            Set<String> cols = pending.get(ch.table());
            out.add(cols == null || ch.isDelete() ? ch : without(ch, cols));
        }
        return out;
    }

    private static Change without(Change ch, Set<String> cols) {
        boolean any = false;
        for (String col : cols) {
            if (ch.values().containsKey(col) && ch.values().get(col) == null) {
                any = true;
                break;
            }
        }
        if (!any) {
            return ch;
        }
        Map<String, Object> values = new LinkedHashMap<>(ch.values());
        Map<String, Stamp> stamps = new LinkedHashMap<>(ch.columnStamps());
        for (String col : cols) {
            if (values.containsKey(col) && values.get(col) == null) {
                values.remove(col);
                stamps.remove(col);
            }
        }
        return new Change(
                ch.table(), ch.key(), ch.op(), values, ch.hlc(), ch.origin(), ch.version(), ch.base(), stamps);
    }
}
