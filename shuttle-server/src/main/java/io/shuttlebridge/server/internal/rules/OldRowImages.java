package io.shuttlebridge.server.internal.rules;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.OldRows;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.server.rules.Predicate;
import io.shuttlebridge.server.rules.SyncRules;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Keeps, for each table read through a SQL predicate, the old-row images of its deleted rows ({@link
 * OldRows}): the values of the columns the predicate mentions, so that a delete reaches only the
 * subjects that could read the row as it was. Installed when a hub starts with rules; an image table
 * whose columns no longer match the rules is made anew (the tombstones of its older images then reach
 * no one, and the devices that held those rows remove them when they reconcile the table).
 */
public final class OldRowImages {
    private OldRowImages() {}

    /** Creates or updates the image tables and triggers the rules need, and drops the triggers they no longer need. */
    public static void install(SyncRules rules, ShuttleDatabase db, SyncSchema schema) {
        Dialect d = Dialects.of(db);
        List<SyncedTable> kept = new java.util.ArrayList<>();
        for (SyncedTable t : schema.tables()) {
            if (!(rules.table(t.name()).read() instanceof Predicate.Sql p)) {
                // every reader of the table, or none, hears of its deletes: no image needed
                db.transaction(c -> {
                    for (String sql : OldRows.dropTriggers(d, t)) {
                        Jdbc.execute(c, sql);
                    }
                    Jdbc.execute(c, "DROP TABLE IF EXISTS " + OldRows.table(t));
                    return null;
                });
                continue;
            }
            kept.add(t);
            List<String> wanted = mentioned(t, p.text());
            db.transaction(c -> {
                List<String> held = OldRows.columns(c, t);
                boolean same = held != null
                        && held.stream()
                                .map(s -> s.toLowerCase(Locale.ROOT))
                                .toList()
                                .equals(wanted.stream()
                                        .map(s -> s.toLowerCase(Locale.ROOT))
                                        .toList());
                for (String sql : OldRows.install(d, t, wanted, held != null && !same)) {
                    Jdbc.execute(c, sql);
                }
                return null;
            });
        }
        db.transaction(c -> {
            OldRows.remember(c, kept);
            return null;
        });
    }

    /**
     * The columns of {@code t} whose names occur in {@code predicate} as words (in any case, quoted or
     * not), in the table's order: all it can read of its own row, and perhaps a few more.
     */
    static List<String> mentioned(SyncedTable t, String predicate) {
        return t.table().columns().stream()
                .map(Column::name)
                .filter(name -> Pattern.compile(
                                "(?<![A-Za-z0-9_$])" + Pattern.quote(name) + "(?![A-Za-z0-9_$])",
                                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
                        .matcher(predicate)
                        .find())
                .toList();
    }
}
