package io.shuttlebridge.bridge.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Per entity: the committed high-water row version and the open pass, if any (its resume token). */
public final class CursorStore {
    private CursorStore() {}

    /**
     * @param passId the open pass, or null when none is open
     * @param passFull the open pass reads the whole source (so deletes can be reconciled at its end)
     * @param passToken where the open pass resumes
     * @param passSince the row-version lower bound of an incremental pass
     * @param passStateMax the highest state id when the pass started (only those can be reconciled)
     */
    public record Cursor(
            String entity,
            String highWater,
            Long passId,
            boolean passFull,
            String passToken,
            String passSince,
            long passStateMax,
            Instant passStartedAt,
            long passRows,
            long passes,
            Instant lastCompleteAt) {

        public boolean passOpen() {
            return passId != null;
        }

        public Cursor startPass(long id, boolean full, String since, long stateMax, Instant now) {
            return new Cursor(entity, highWater, id, full, null, since, stateMax, now, 0, passes, lastCompleteAt);
        }

        public Cursor advance(String token, String newHighWater, long rows) {
            return new Cursor(
                    entity,
                    newHighWater,
                    passId,
                    passFull,
                    token,
                    passSince,
                    passStateMax,
                    passStartedAt,
                    passRows + rows,
                    passes,
                    lastCompleteAt);
        }

        public Cursor completePass(Instant now) {
            return new Cursor(entity, highWater, null, false, null, null, 0, null, 0, passes + 1, now);
        }

        public Cursor reset() {
            return new Cursor(entity, null, null, false, null, null, 0, null, 0, passes, lastCompleteAt);
        }
    }

    public static Cursor load(Connection c, String entity) throws SQLException {
        try (PreparedStatement ps =
                        Sql.bind(c.prepareStatement("SELECT * FROM _shuttle_bridge_cursor WHERE entity = ?"), entity);
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return new Cursor(entity, null, null, false, null, null, 0, null, 0, 0, null);
            }
            return new Cursor(
                    entity,
                    rs.getString("high_water"),
                    Sql.nullableLong(rs, "pass_id"),
                    rs.getInt("pass_full") == 1,
                    rs.getString("pass_token"),
                    rs.getString("pass_since"),
                    rs.getLong("pass_state_max"),
                    Sql.instant(rs.getString("pass_started_at")),
                    rs.getLong("pass_rows"),
                    rs.getLong("passes"),
                    Sql.instant(rs.getString("last_complete_at")));
        }
    }

    public static void save(Connection c, Cursor k) throws SQLException {
        Sql.update(c, "DELETE FROM _shuttle_bridge_cursor WHERE entity = ?", k.entity());
        Sql.update(
                c,
                "INSERT INTO _shuttle_bridge_cursor (entity, high_water, pass_id, pass_full, pass_token, pass_since,"
                        + " pass_state_max, pass_started_at, pass_rows, passes, last_complete_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                k.entity(),
                k.highWater(),
                k.passId(),
                k.passFull() ? 1 : 0,
                k.passToken(),
                k.passSince(),
                k.passStateMax(),
                k.passStartedAt(),
                k.passRows(),
                k.passes(),
                k.lastCompleteAt());
    }
}
