package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.internal.dialect.ApplyBracket;
import io.shuttlebridge.core.internal.dialect.FeedSql;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Applying remote changes on PostgreSQL without echo. While the engine applies, the
 * transaction-local setting {@code shuttle.applying} is {@code on} and the triggers log nothing;
 * the applied changes enter the feed with their own origin, hlc and version. Other sessions' writes
 * are captured meanwhile.
 *
 * <p>The feed entries of an apply are written in one statement, one entry per row in the order
 * given, with fresh seqs after the clock's, and the clock moves past them; then the feed channel is
 * notified as a fold does. This runs under the fold lock {@link #beginApply} took, so these seqs
 * become visible in order like any fold's. Entries of rows the feed is expected not to hold go in
 * with a plain insert ({@link InsertAsNew}), the others replace their row's entry.
 */
final class PostgresApply implements ApplyBracket {
    /** The entries, one array parameter per column, numbered in the order given. */
    private static final String ROWS = """
            unnest(CAST(? AS integer[]), CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS bigint[]),
              CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS integer[]),
              CAST(? AS boolean[])) WITH ORDINALITY AS u(tbl, pk, op, hlc, scope, origin, version, base, via, fresh, rn)""";

    /** Inserts entries {@code u} with seqs after the clock's; the source of {@code u} follows. */
    private static final String INSERT = """
            %s
              SELECT u.tbl, u.pk, (SELECT seq FROM clock) + u.rn, u.op, u.hlc, u.origin, u.version, u.base, u.scope, u.via
              FROM""".formatted(FeedSql.INSERT_ENTRIES);

    /** Every entry new to the feed. */
    private static final String WRITE_NEW = feedWrite("feed AS (%s %s RETURNING 1)".formatted(INSERT, ROWS));

    /** Every entry replacing the row's. */
    private static final String WRITE_REPLACING =
            feedWrite("feed AS (%s %s %s RETURNING 1)".formatted(INSERT, ROWS, FeedSql.ENTRY_REPLACES));

    /** Some of each. */
    private static final String WRITE_MIXED = feedWrite("""
            u AS (SELECT * FROM %1$s),
              inserted AS (%2$s u WHERE u.fresh RETURNING 1),
              replaced AS (%2$s u WHERE NOT u.fresh %3$s RETURNING 1)""".formatted(ROWS, INSERT, FeedSql.ENTRY_REPLACES));

    private final AppliedKeys keys;

    PostgresApply(AppliedKeys keys) {
        this.keys = keys;
    }

    /**
     * A feed write: the clock, the {@code writes} of entries, the clock moved past them (and to the
     * applying engine's clock), the channel notified of the feed's new position ({@link FeedNotice}).
     */
    private static String feedWrite(String writes) {
        return """
                WITH clock AS (SELECT seq FROM _shuttle_clock WHERE id = 1),
                  %s,
                  moved AS (UPDATE _shuttle_clock SET seq = seq + ?, hlc = greatest(hlc, ?) WHERE id = 1 RETURNING seq)
                SELECT pg_notify('%s', %s)""".formatted(writes, PostgresDialect.FEED_CHANNEL, FeedNotice.payload("(SELECT seq FROM moved)"));
    }

    @Override
    public long beginApply(Connection c) throws SQLException {
        // the fold also takes the fold lock until commit: seqs stay in commit order
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT _shuttle_fold(), set_config('shuttle.applying', 'on', true)")) {
            rs.next();
        }
        return 0;
    }

    @Override
    public void endApply(Connection c, long token, List<AppliedEntry> entries, long clockFloor) throws SQLException {
        // what other connections committed meanwhile is folded first: the applied entries come after it,
        // as the latest writes to their rows
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT set_config('shuttle.applying', 'off', true), _shuttle_fold()")) {
            rs.next();
        }
        if (entries.isEmpty()) {
            return;
        }
        AppliedFeedRows rows = AppliedFeedRows.of(c, entries, keys.of(c, entries), clockFloor);
        String tried = rows.fresh() == rows.count() ? WRITE_NEW : WRITE_MIXED;
        if (rows.fresh() == 0 || !InsertAsNew.tried(c, () -> rows.write(c, tried))) {
            // (when some entry taken as new exists after all, a concurrent write to its row was folded meanwhile)
            rows.write(c, WRITE_REPLACING);
        }
    }
}
