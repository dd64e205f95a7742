package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.sync.ConflictRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Conflict records in {@code _shuttle_conflicts}, with the times the engine's clock gives. Internal. */
public final class ConflictStore {
    private static final String COLUMNS =
            "id, tbl, key_json, policy, local_json, local_hlc, local_origin, local_version,"
                    + " remote_json, remote_hlc, remote_origin, remote_version, remote_base, detected_at, status, resolution";

    private ConflictStore() {}

    public static ConflictRecord record(
            Connection c,
            MillisClock clock,
            String table,
            List<Object> key,
            ConflictPolicy policy,
            Map<String, Object> local,
            long localHlc,
            String localOrigin,
            long localVersion,
            Map<String, Object> remote,
            long remoteHlc,
            String remoteOrigin,
            long remoteVersion,
            long remoteBase)
            throws SQLException {
        String keyJson = ChangeCodec.keyJson(key);
        // the same conflict delivered again is recorded once
        var existing = Jdbc.queryLong(
                c,
                "SELECT id FROM _shuttle_conflicts WHERE tbl = ? AND key_json = ? AND remote_hlc = ?"
                        + " AND remote_origin = ? AND local_hlc = ? AND local_origin = ?",
                table,
                keyJson,
                remoteHlc,
                remoteOrigin,
                localHlc,
                localOrigin);
        if (existing.isPresent()) {
            return get(c, existing.get());
        }
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO _shuttle_conflicts (tbl, key_json, policy, local_json, local_hlc,"
                        + " local_origin, local_version, remote_json, remote_hlc, remote_origin, remote_version, remote_base, detected_at, status)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')",
                Statement.RETURN_GENERATED_KEYS)) {
            Jdbc.bind(
                    ps,
                    table,
                    keyJson,
                    policy.name(),
                    ChangeCodec.valuesJson(local),
                    localHlc,
                    localOrigin,
                    localVersion,
                    ChangeCodec.valuesJson(remote),
                    remoteHlc,
                    remoteOrigin,
                    remoteVersion,
                    remoteBase,
                    clock.instant().toString());
            ps.executeUpdate();
        }
        return get(
                c, Jdbc.queryLong(c, "SELECT max(id) FROM _shuttle_conflicts").orElseThrow());
    }

    public static ConflictRecord get(Connection c, long id) throws SQLException {
        List<ConflictRecord> found = query(c, "WHERE id = " + id);
        return found.isEmpty() ? null : found.get(0);
    }

    public static List<ConflictRecord> list(Connection c, boolean openOnly) throws SQLException {
        return query(c, openOnly ? "WHERE status = 'open' ORDER BY id" : "ORDER BY id");
    }

    /** Identifies a row for {@link #openRows}. */
    public static String rowId(String table, List<Object> key) {
        return table + "\u0000" + ChangeCodec.keyJson(key);
    }

    /** Rows that have open conflicts. */
    public static Set<String> openRows(Connection c) throws SQLException {
        Set<String> out = new HashSet<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT tbl, key_json FROM _shuttle_conflicts WHERE status = 'open'")) {
            while (rs.next()) {
                out.add(rs.getString(1) + "\u0000" + rs.getString(2));
            }
        }
        return out;
    }

    /** Closes open conflicts on a row once a write made after them has been applied there. */
    public static int closeForRow(Connection c, MillisClock clock, String table, List<Object> key, String resolution)
            throws SQLException {
        return Jdbc.update(
                c,
                "UPDATE _shuttle_conflicts SET status = 'resolved', resolution = ?, resolved_at = ?"
                        + " WHERE tbl = ? AND key_json = ? AND status = 'open'",
                resolution,
                clock.instant().toString(),
                table,
                ChangeCodec.keyJson(key));
    }

    public static void resolve(Connection c, MillisClock clock, long id, String resolution) throws SQLException {
        Jdbc.update(
                c,
                "UPDATE _shuttle_conflicts SET status = 'resolved', resolution = ?, resolved_at = ? WHERE id = ?",
                resolution,
                clock.instant().toString(),
                id);
    }

    private static List<ConflictRecord> query(Connection c, String where) throws SQLException {
        List<ConflictRecord> out = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + COLUMNS + " FROM _shuttle_conflicts " + where)) {
            while (rs.next()) {
                out.add(new ConflictRecord(
                        rs.getLong(1),
                        rs.getString(2),
                        ChangeCodec.keyFromJson(rs.getString(3)),
                        ConflictPolicy.parse(rs.getString(4)),
                        ChangeCodec.valuesFromJson(rs.getString(5)),
                        rs.getLong(6),
                        rs.getString(7),
                        rs.getLong(8),
                        ChangeCodec.valuesFromJson(rs.getString(9)),
                        rs.getLong(10),
                        rs.getString(11),
                        rs.getLong(12),
                        rs.getLong(13),
                        rs.getString(14),
                        rs.getString(15),
                        rs.getString(16)));
            }
        }
        return out;
    }
}
