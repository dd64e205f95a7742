package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The stamps a hub gave pushed changes it re-stamped ({@link ClockBound}), in {@code _shuttle_restamps}:
 * by the stamp a change was pushed with, the one it was applied under. A change pushed again (its
 * writer never heard the answer) takes the same stamp again, so it is a duplicate, or older than a write
 * made since, rather than a new write that would win over that one. Internal.
 */
public final class RestampStore {
    private RestampStore() {}

    /** The stamp a change pushed with {@code pushed} was given before, if it was re-stamped. */
    static OptionalLong find(Connection c, Stamp pushed) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT new_hlc FROM _shuttle_restamps WHERE origin = ? AND hlc = ?")) {
            ps.setString(1, pushed.origin());
            ps.setLong(2, pushed.hlc());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
        }
    }

    /** Remembers that the change pushed with {@code pushed} was applied under {@code newHlc}, at {@code clock}'s time. */
    static void remember(Connection c, Stamp pushed, long newHlc, MillisClock clock) throws SQLException {
        Jdbc.update(
                c,
                "INSERT INTO _shuttle_restamps (origin, hlc, new_hlc, restamped_at) VALUES (?, ?, ?, ?)",
                pushed.origin(),
                pushed.hlc(),
                newHlc,
                clock.instant().toString());
    }

    /**
     * Every re-stamp this database's hub made: the stamp pushed, and the hlc the change was applied under.
     */
    public static Map<Stamp, Long> all(Connection c) throws SQLException {
        Map<Stamp, Long> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT origin, hlc, new_hlc FROM _shuttle_restamps");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(new Stamp(rs.getLong(2), rs.getString(1)), rs.getLong(3));
            }
        }
        return out;
    }
}
