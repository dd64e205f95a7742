package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.ReadableRows;
import io.shuttlebridge.core.internal.feed.RowCondition;
import io.shuttlebridge.core.internal.feed.TableRows;
import io.shuttlebridge.core.sync.RowDiff;
import io.shuttlebridge.core.sync.RowSet;
import java.util.ArrayList;
import java.util.List;

/**
 * The hub's side of a reconcile that sends only what differs: the rows of one table a reader may have
 * are read with their feed entries in one statement ({@link ReadableRows}; in key order through {@link
 * TableRows}, as a filtered snapshot reads them, for a table with per-column stamps), each hashed with its
 * version stamp ({@link RowHashes}) and looked up in the hashes the device sent. A row the device lacks
 * or holds at another version is sent, up to the page's limit; when one more is found the page ends
 * there ({@code more}), and the device asks again with the hashes of the rows it received added. A page
 * that reads to the end of the table also answers the device's hashes that matched no readable row
 * ({@code gone}). Internal.
 */
public final class RowDiffs {
    /** Rows read per statement (as many as a snapshot's page: fewer, larger statements cost less under a predicate). */
    private static final int STRETCH = 10_000;

    private final EngineContext engine;

    public RowDiffs(EngineContext engine) {
        this.engine = engine;
    }

    /**
     * The page of {@code table}'s rows that satisfy {@code condition}, read from {@code source}, that the
     * holder of {@code have} lacks, at most {@code limit} of them. Hidden columns are the caller's to remove.
     */
    public RowDiff serve(ShuttleDatabase source, String table, RowCondition condition, RowSet have, int limit) {
        engine.checkLimit(limit);
        SyncedTable t = engine.schema().require(table);
        Dialect dialect = Dialects.of(source);
        if (source == engine.db()) {
            // folded apart, as a snapshot is: every row written so far has its feed entry
            source.transaction(c -> {
                dialect.capture().fold(c);
                return null;
            });
        }
        return source.transaction(c -> {
            dialect.planForValues(c);
            Scan scan = new Scan(have, limit);
            if (ReadableRows.supports(t)) {
                ReadableRows.scan(c, dialect, t, condition, scan::row);
            } else {
                TableRows rows = new TableRows(dialect);
                Object after = null;
                int span = STRETCH;
                while (true) {
                    TableRows.Stretch s = rows.read(c, t, condition, after, STRETCH, span);
                    for (FeedEntry e : s.entries()) {
                        if (!scan.row(e.change())) {
                            return scan.result();
                        }
                    }
                    if (s.exhausted()) {
                        break;
                    }
                    after = s.after();
                    span = s.span();
                }
            }
            return scan.result();
        });
    }

    /** The rows looked up in the device's hashes as they are read. */
    private static final class Scan {
        private final RowHashes hashes = new RowHashes();
        private final RowSet have;
        private final long[] held;
        private final boolean[] matched;
        private final int limit;
        private final List<Change> out = new ArrayList<>();
        private boolean more;

        Scan(RowSet have, int limit) {
            this.have = have;
            this.held = have.hashes();
            this.matched = new boolean[held.length];
            this.limit = limit;
        }

        /** Looks a row up; false once one more differing row than fits was found. */
        boolean row(Change ch) {
            long key = hashes.key(ch.key());
            if (!RowHashes.inPart(key, have.part(), have.parts())) {
                return true;
            }
            int at = java.util.Arrays.binarySearch(held, RowHashes.row(key, ch.hlc(), ch.version()));
            if (at >= 0) {
                matched[at] = true;
            } else if (out.size() == limit) {
                more = true; // the rest on the next page
                return false;
            } else {
                out.add(ch);
            }
            return true;
        }

        RowDiff result() {
            if (more) {
                return new RowDiff(out, new long[0], true);
            }
            int n = 0;
            for (boolean m : matched) {
                n += m ? 0 : 1;
            }
            long[] gone = new long[n];
            for (int i = 0, j = 0; i < held.length; i++) {
                if (!matched[i]) {
                    gone[j++] = held[i];
                }
            }
            return new RowDiff(out, gone, false);
        }
    }
}
