package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A {@link CaptureClock} whose position one query reads: the next seq with a fresh stamp, and the last
 * stamp. The dialects give their SQL and how a position is advanced.
 */
public abstract class QueriedClock implements CaptureClock {
    private final String next;
    private final String last;

    /**
     * @param next a query of one row: the next seq and a fresh stamp (at least the last one plus one)
     * @param last a query of one row: the last stamp written or received
     */
    protected QueriedClock(String next, String last) {
        this.next = next;
        this.last = last;
    }

    @Override
    public final ClockPosition nextSeqAndHlc(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(next);
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new ClockPosition(rs.getLong(1), rs.getLong(2));
        }
    }

    @Override
    public final long lastHlc(Connection c) throws SQLException {
        return Jdbc.queryLong(c, last).orElse(0L);
    }
}
