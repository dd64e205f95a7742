package io.shuttlebridge.bridge.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.shuttlebridge.bridge.BatchCounts;
import io.shuttlebridge.bridge.BatchOutcome;
import io.shuttlebridge.bridge.BatchReport;
import io.shuttlebridge.bridge.internal.track.Counters;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One row per batch with its counts, stage times and outcome ({@code _shuttle_bridge_batch}). */
public final class BatchStore {
    private BatchStore() {}

    public static long start(Connection c, String entity, String trigger, Long passId, boolean full, Instant now)
            throws SQLException {
        return Sql.insertReturningId(
                c,
                "INSERT INTO _shuttle_bridge_batch (entity, trigger_kind, pass_id, full_pass, outcome, started_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)",
                entity,
                trigger,
                passId,
                full ? 1 : 0,
                BatchOutcome.RUNNING.name(),
                now);
    }

    /** Marks batches of the entity left RUNNING by a process that stopped. */
    public static int markInterrupted(Connection c, String entity, Instant now) throws SQLException {
        return Sql.update(
                c,
                "UPDATE _shuttle_bridge_batch SET outcome = ?, finished_at = ?, error = ? WHERE entity = ? AND outcome = ?",
                BatchOutcome.INTERRUPTED.name(),
                now,
                "the process running this batch stopped before it finished",
                entity,
                BatchOutcome.RUNNING.name());
    }

    public static void progress(Connection c, long id, Counters k) throws SQLException {
        write(c, id, k, BatchOutcome.RUNNING, null, null, false, 0);
    }

    public static void finish(
            Connection c,
            long id,
            Counters k,
            BatchOutcome outcome,
            String error,
            Instant now,
            boolean passComplete,
            double rowsPerSecond)
            throws SQLException {
        write(c, id, k, outcome, error, now, passComplete, rowsPerSecond);
    }

    private static void write(
            Connection c,
            long id,
            Counters k,
            BatchOutcome outcome,
            String error,
            Instant finished,
            boolean passComplete,
            double rowsPerSecond)
            throws SQLException {
        String stageMs;
        try {
            stageMs = RowCodec.JSON.writeValueAsString(k.stageMillis());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Sql.update(
                c,
                "UPDATE _shuttle_bridge_batch SET outcome = ?, error = ?, finished_at = ?, pass_complete = ?, fetched = ?,"
                        + " normalized = ?, invalid = ?, mapped = ?, inserted = ?, updated = ?, unchanged = ?, deleted = ?, pending = ?,"
                        + " resolved = ?, dead_lettered = ?, retried = ?, stage_ms = ?, rows_per_second = ? WHERE id = ?",
                outcome.name(),
                error,
                finished,
                passComplete ? 1 : 0,
                k.fetched,
                k.normalized,
                k.invalid,
                k.mapped,
                k.inserted,
                k.updated,
                k.unchanged,
                k.deleted,
                k.pending,
                k.resolved,
                k.deadLettered,
                k.retried,
                stageMs,
                rowsPerSecond,
                id);
    }

    public static Optional<BatchReport> find(Connection c, long id) throws SQLException {
        List<BatchReport> found = query(c, "SELECT * FROM _shuttle_bridge_batch WHERE id = ?", id);
        return found.stream().findFirst();
    }

    public static List<BatchReport> list(Connection c, String entity, int limit) throws SQLException {
        return entity == null
                ? query(c, "SELECT * FROM _shuttle_bridge_batch ORDER BY id DESC LIMIT ?", limit)
                : query(
                        c,
                        "SELECT * FROM _shuttle_bridge_batch WHERE entity = ? ORDER BY id DESC LIMIT ?",
                        entity,
                        limit);
    }

    /** Source records fetched by batches of the entity started at or after {@code since}. */
    public static long fetchedSince(Connection c, String entity, Instant since) throws SQLException {
        return Sql.queryLong(
                c,
                "SELECT COALESCE(SUM(fetched), 0) FROM _shuttle_bridge_batch WHERE entity = ? AND started_at >= ?",
                entity,
                since);
    }

    private static List<BatchReport> query(Connection c, String sql, Object... args) throws SQLException {
        List<BatchReport> out = new ArrayList<>();
        try (PreparedStatement ps = Sql.bind(c.prepareStatement(sql), args);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(report(rs));
            }
        }
        return out;
    }

    private static BatchReport report(ResultSet rs) throws SQLException {
        BatchCounts counts = new BatchCounts(
                rs.getLong("fetched"),
                rs.getLong("normalized"),
                rs.getLong("invalid"),
                rs.getLong("mapped"),
                rs.getLong("inserted"),
                rs.getLong("updated"),
                rs.getLong("unchanged"),
                rs.getLong("deleted"),
                rs.getLong("pending"),
                rs.getLong("resolved"),
                rs.getLong("dead_lettered"),
                rs.getLong("retried"));
        Map<String, Long> stages = Map.of();
        String stageMs = rs.getString("stage_ms");
        if (stageMs != null) {
            try {
                stages = RowCodec.JSON.readValue(stageMs, new TypeReference<LinkedHashMap<String, Long>>() {});
            } catch (JsonProcessingException e) {
                throw new SQLException("unreadable stage times in batch " + rs.getLong("id"), e);
            }
        }
        Instant started = Sql.instant(rs.getString("started_at"));
        Instant finished = Sql.instant(rs.getString("finished_at"));
        return new BatchReport(
                rs.getLong("id"),
                rs.getString("entity"),
                rs.getString("trigger_kind"),
                BatchOutcome.valueOf(rs.getString("outcome")),
                rs.getString("error"),
                started,
                finished,
                rs.getInt("full_pass") == 1,
                rs.getInt("pass_complete") == 1,
                counts,
                stages,
                rs.getDouble("rows_per_second"));
    }

    static Duration elapsed(Instant a, Instant b) {
        return Duration.between(a, b);
    }
}
