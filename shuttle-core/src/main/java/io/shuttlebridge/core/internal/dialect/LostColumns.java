package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The columns a capture trigger names its rows by (the key, and the scope column when there is one),
 * and the refusal of an application's write to a table that lost one of them since it was captured
 * (dropped or renamed with plain SQL): the trigger cannot say which row changed, so the write fails
 * with this message rather than going uncaptured, until the change is undone or accepted
 * ({@code shuttle schema check|apply}).
 */
public final class LostColumns {
    private LostColumns() {}

    /** The key columns of {@code t} in key order, then its scope column when it has one outside the key. */
    public static List<String> named(SyncedTable t) {
        List<String> out = new ArrayList<>(t.key());
        if (t.scopeColumn() != null && !out.contains(t.scopeColumn())) {
            out.add(t.scopeColumn());
        }
        return out;
    }

    /**
     * Why a write to {@code t} is refused when it lost {@code column} (a key or scope column), and what to
     * do, with identifiers quoted as {@code quote} quotes them in the database's messages.
     */
    public static String message(SyncedTable t, String column, UnaryOperator<String> quote) {
        boolean key = t.key().contains(column);
        return refusal(
                t,
                "its " + (key ? "key" : "scope") + " column " + quote.apply(column) + " (dropped or renamed)",
                key ? "add it back as the primary key" : "add it back",
                quote);
    }

    /**
     * The refusal of a write to {@code t} that lost a column it was captured with, in two parts to put the
     * database's own words about the column between (where the database cannot read a row's columns by
     * name, a lost value column fails the write too).
     */
    public static List<String> anyColumn(SyncedTable t, UnaryOperator<String> quote) {
        String marker = "\0";
        String text = refusal(t, "a column (" + marker + "; dropped or renamed)", "add it back", quote);
        int at = text.indexOf(marker);
        return List.of(text.substring(0, at), text.substring(at + marker.length()));
    }

    private static String refusal(SyncedTable t, String lost, String addBack, UnaryOperator<String> quote) {
        return "table " + quote.apply(t.name()) + " lost " + lost + " since it was captured: the write is refused so"
                + " that no change goes uncaptured. Undo it (rename the column back, or " + addBack + "), or accept"
                + " it: 'shuttle schema check --db DB' names the change, and 'shuttle schema apply --db DB"
                + " --accept-destructive " + t.name() + "' takes the table again at its new shape (README: Schema"
                + " changes)";
    }
}
