package io.shuttlebridge.core.internal.dialect.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.CaptureSql;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Identifiers;
import io.shuttlebridge.core.internal.feed.EntryBase;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.DeclaredTypes;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Capture on PostgreSQL. Each synced table gets one row trigger running a generated PL/pgSQL
 * function, so writes from {@code psql} or any other client are captured. The trigger appends to
 * the capture log {@code _shuttle_log} with the wall-clock time of the write; an UPDATE that
 * changes no replicated column ({@code IS DISTINCT FROM}) logs nothing.
 *
 * <p><b>Feed order.</b> The fold ({@code _shuttle_fold()}, one statement under the transaction-scoped
 * advisory lock {@link #LOCK_CLASS}) moves every committed log row into {@code _shuttle_feed} and
 * gives the feed entries fresh seqs from {@code _shuttle_clock}. Because folds are serialized by
 * the lock, which is released only after the folding transaction's commit is visible, feed seqs
 * become visible in increasing order: a puller reading {@code seq > cursor} never skips an entry,
 * even when the writers' transactions commit in another order than their log seqs.
 *
 * <p><b>Stamps.</b> As on SQLite, the fold turns write times into hybrid logical clock stamps in
 * log order: entry {@code i} gets the greater of its own time and the previous stamp plus one,
 * starting from the clock's last stamp, and every received stamp moves the clock too.
 *
 * <p><b>Keys.</b> The feed key is text: for a one-column key the value's canonical text
 * ({@code ::text}; hex for bytea; ISO-8601 for dates and timestamps, timestamps with time zone in
 * UTC), so it never depends on a session's DateStyle, TimeZone or bytea_output; for a composite key
 * the JSON array of those texts ({@code jsonb_build_array(...)::text}). {@link #decodeKey} turns
 * them back into Long, BigDecimal, Double, Boolean, byte[] or String by column type, so 64-bit
 * integers, text, bytea and uuids are exact.
 *
 * <p><b>No echo.</b> While the engine applies remote changes the transaction-local setting
 * {@code shuttle.applying} is {@code on} and the triggers log nothing; the applied changes enter the
 * log with their own origin, hlc and version. Other sessions' writes are captured meanwhile.
 */
final class PostgresCaptureSql implements CaptureSql {
    static final int OP_UPSERT = 1;
    static final int OP_DELETE = 2;
    /** First half of the advisory lock key held while folding ('shut'); the second is the schema's hash. */
    static final int LOCK_CLASS = 0x73687574;

    private static final int PENDING_ORIGIN = -1;
    private static final String NOW_MS = "(floor(extract(epoch FROM clock_timestamp()) * 1000))::bigint";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String FOLD_FUNCTION =
            "CREATE OR REPLACE FUNCTION _shuttle_fold() RETURNS bigint LANGUAGE plpgsql"
                    + " SET search_path FROM CURRENT AS $fold$\n"
                    + "DECLARE folded bigint;\n"
                    + "BEGIN\n"
                    + "  PERFORM pg_advisory_xact_lock(" + LOCK_CLASS + ", hashtext(current_schema()));\n"
                    + "  IF NOT EXISTS (SELECT 1 FROM _shuttle_log) THEN RETURN 0; END IF;\n"
                    + "  WITH moved AS (DELETE FROM _shuttle_log RETURNING *),\n"
                    + "  clock AS (SELECT seq, hlc FROM _shuttle_clock WHERE id = 1),\n"
                    + "  ordered AS (SELECT m.*, row_number() OVER (ORDER BY m.seq) AS rn FROM moved m),\n"
                    + "  stamped AS (SELECT o.*, CASE WHEN o.origin IS NULL THEN o.rn + greatest((SELECT hlc FROM clock),"
                    + " max(o.hlc - o.rn) OVER (ORDER BY o.rn ROWS UNBOUNDED PRECEDING)) ELSE o.hlc END AS stamp FROM ordered o),\n"
                    + "  grouped AS (SELECT tbl, pk, max(rn) AS rn, count(*) AS n FROM stamped WHERE tbl > 0 GROUP BY tbl, pk),\n"
                    + "  latest AS (SELECT s.*, g.n, row_number() OVER (ORDER BY s.rn) AS fn FROM grouped g JOIN stamped s ON s.rn = g.rn),\n"
                    + "  feed AS (INSERT INTO _shuttle_feed (tbl, pk, seq, op, hlc, origin, version, base, scope, via)\n"
                    + "    SELECT l.tbl, l.pk, (SELECT seq FROM clock) + l.fn, l.op, l.stamp, coalesce(l.origin, 0),\n"
                    + "      CASE WHEN l.origin IS NULL THEN coalesce(f.version, 0) + l.n ELSE l.version END,\n"
                    + "      CASE WHEN l.origin IS NOT NULL THEN coalesce(l.base, l.version) WHEN f.origin IS NULL THEN 0"
                    + " WHEN f.origin = 0 THEN " + EntryBase.of("f") + " ELSE f.version END, l.scope, l.via\n"
                    + "    FROM latest l LEFT JOIN _shuttle_feed f ON f.tbl = l.tbl AND f.pk = l.pk\n"
                    + "    " + FEED_ENTRY_REPLACES + " RETURNING 1),\n"
                    + "  cols AS (UPDATE _shuttle_colclock c SET hlc = s.stamp, origin = 0 FROM stamped s"
                    + " WHERE c.origin = " + PENDING_ORIGIN + " AND c.hlc = s.seq RETURNING 1)\n"
                    + "  UPDATE _shuttle_clock SET seq = seq + (SELECT count(*) FROM latest),"
                    + " hlc = greatest(hlc, coalesce((SELECT max(stamp) FROM stamped), hlc)) WHERE id = 1;\n"
                    + "  GET DIAGNOSTICS folded = ROW_COUNT;\n"
                    // every hub process listening on the channel hears of the new entries when this transaction commits
                    + "  PERFORM pg_notify('" + PostgresDialect.FEED_CHANNEL + "', current_schema());\n"
                    + "  RETURN folded;\n"
                    + "END $fold$";

    private final Dialect dialect;

    PostgresCaptureSql(Dialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public List<String> metadataDdl() {
        return List.of(
                "CREATE TABLE IF NOT EXISTS _shuttle_meta (key text PRIMARY KEY, value text)",
                "CREATE TABLE IF NOT EXISTS _shuttle_nodes (id integer PRIMARY KEY, uuid text NOT NULL UNIQUE)",
                "CREATE TABLE IF NOT EXISTS _shuttle_tables (id integer PRIMARY KEY, name text NOT NULL UNIQUE,"
                        + " policy text NOT NULL, scope_column text, excluded text NOT NULL DEFAULT '')",
                // capture log: appended by triggers and by the apply path, emptied by every fold
                "CREATE TABLE IF NOT EXISTS _shuttle_log (seq bigserial PRIMARY KEY, tbl integer NOT NULL, pk text,"
                        + " op integer NOT NULL, hlc bigint NOT NULL, scope text, origin integer, version bigint, via integer, base bigint)",
                // the last feed seq handed out and the last stamp: the local clock
                "CREATE TABLE IF NOT EXISTS _shuttle_clock (id integer PRIMARY KEY, seq bigint NOT NULL, hlc bigint NOT NULL)",
                "INSERT INTO _shuttle_clock (id, seq, hlc) VALUES (1, 0, 0) ON CONFLICT DO NOTHING",
                "CREATE TABLE IF NOT EXISTS _shuttle_feed (tbl integer NOT NULL, pk text COLLATE \"C\" NOT NULL, seq bigint NOT NULL,"
                        + " op integer NOT NULL, hlc bigint NOT NULL, origin integer NOT NULL, version bigint NOT NULL,"
                        + " base bigint NOT NULL, scope text, via integer, PRIMARY KEY (tbl, pk))",
                "CREATE UNIQUE INDEX IF NOT EXISTS _shuttle_feed_seq ON _shuttle_feed (seq)",
                "CREATE TABLE IF NOT EXISTS _shuttle_colclock (tbl integer NOT NULL, pk text NOT NULL, col text NOT NULL,"
                        + " hlc bigint NOT NULL, origin integer NOT NULL, PRIMARY KEY (tbl, pk, col))",
                "CREATE TABLE IF NOT EXISTS _shuttle_peers (peer text PRIMARY KEY, last_pulled bigint NOT NULL DEFAULT 0,"
                        + " last_pushed bigint NOT NULL DEFAULT 0, acked bigint NOT NULL DEFAULT 0, last_sync_at text, last_outcome text)",
                "CREATE TABLE IF NOT EXISTS _shuttle_conflicts (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
                        + " tbl text NOT NULL, key_json text NOT NULL, policy text NOT NULL, local_json text, local_hlc bigint,"
                        + " local_origin text, local_version bigint, remote_json text, remote_hlc bigint, remote_origin text,"
                        + " remote_version bigint, remote_base bigint, detected_at text NOT NULL, status text NOT NULL,"
                        + " resolution text, resolved_at text)",
                "CREATE TABLE IF NOT EXISTS _shuttle_refused (seq bigint PRIMARY KEY)",
                "CREATE TABLE IF NOT EXISTS _shuttle_pending (tbl text NOT NULL, key_json text NOT NULL, change_json text NOT NULL,"
                        + " via text, reason text NOT NULL, attempts integer NOT NULL, first_seen text NOT NULL, PRIMARY KEY (tbl, key_json))",
                FOLD_FUNCTION);
    }

    @Override
    public List<String> installTriggers(SyncedTable t) {
        List<String> sql = new ArrayList<>(dropStatements(t));
        String body = triggerBody(t);
        String tag = "$shuttle$";
        for (int i = 0; body.contains(tag); i++) {
            tag = "$shuttle" + i + "$";
        }
        sql.add("CREATE OR REPLACE FUNCTION " + functionName(t)
                + "() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS " + tag + body + tag);
        // the WHEN clause keeps applied writes from queuing a trigger call at all (the function checks again)
        sql.add("CREATE TRIGGER \"_shuttle_capture\" AFTER INSERT OR UPDATE OR DELETE ON " + dialect.quote(t.name())
                + " FOR EACH ROW WHEN (current_setting('shuttle.applying', true) IS DISTINCT FROM 'on') EXECUTE FUNCTION "
                + functionName(t) + "()");
        return sql;
    }

    private String triggerBody(SyncedTable t) {
        String keyChanged = t.key().stream().map(c -> changed(t, c)).collect(Collectors.joining(" OR "));
        String anyChanged =
                t.replicatedColumns().stream().map(c -> changed(t, c)).collect(Collectors.joining(" OR "));
        StringBuilder b = new StringBuilder(
                        "\nDECLARE\n  at bigint := " + NOW_MS + " << 16;\n  logged bigint;\nBEGIN\n")
                .append("  IF current_setting('shuttle.applying', true) = 'on' THEN RETURN NULL; END IF;\n")
                .append("  IF TG_OP = 'DELETE' THEN\n    ")
                .append(logWrite(t, "OLD", OP_DELETE))
                .append(";\n    RETURN NULL;\n  END IF;\n")
                .append("  IF TG_OP = 'UPDATE' THEN\n")
                .append("    IF NOT (")
                .append(anyChanged)
                .append(") THEN RETURN NULL; END IF;\n")
                .append("    IF ")
                .append(keyChanged)
                .append(" THEN ")
                .append(logWrite(t, "OLD", OP_DELETE))
                .append("; END IF;\n")
                .append("  END IF;\n  ")
                .append(logWrite(t, "NEW", OP_UPSERT))
                .append(" RETURNING seq INTO logged;\n");
        List<String> cols =
                t.replicatedColumns().stream().filter(c -> !t.key().contains(c)).toList();
        if (t.policy() == ConflictPolicy.FIELD_LWW && !cols.isEmpty()) {
            String values = cols.stream()
                    .map(c -> "(" + Identifiers.literal(c) + ", TG_OP = 'INSERT' OR " + changedOrFalse(t, c) + ")")
                    .collect(Collectors.joining(", "));
            b.append("  INSERT INTO _shuttle_colclock (tbl, pk, col, hlc, origin) SELECT ")
                    .append(t.id())
                    .append(", ")
                    .append(keyExpression(t, "NEW"))
                    .append(", c.col, logged, ")
                    .append(PENDING_ORIGIN)
                    .append(" FROM (VALUES ")
                    .append(values)
                    .append(") c(col, written) WHERE c.written")
                    .append(
                            " ON CONFLICT (tbl, pk, col) DO UPDATE SET hlc = excluded.hlc, origin = excluded.origin;\n");
        }
        return b.append("  RETURN NULL;\nEND\n").toString();
    }

    /** On INSERT, OLD is NULL, so the comparison is true there; callers OR it with the operation. */
    private String changedOrFalse(SyncedTable t, String column) {
        return "coalesce(TG_OP = 'UPDATE' AND (" + changed(t, column) + "), false)";
    }

    private String changed(SyncedTable t, String column) {
        String type = DeclaredTypes.base(column(t, column).declaredType());
        // json, xml and geometric types have no equality operator: compare their text
        String cast = switch (type) {
            case "json", "xml", "point", "line", "lseg", "box", "path", "polygon", "circle" -> "::text";
            default -> "";
        };
        String q = dialect.quote(column);
        return "OLD." + q + cast + " IS DISTINCT FROM NEW." + q + cast;
    }

    private String logWrite(SyncedTable t, String row, int op) {
        String scope = t.scopeColumn() == null ? "NULL" : "(" + row + "." + dialect.quote(t.scopeColumn()) + ")::text";
        return "INSERT INTO _shuttle_log (tbl, pk, op, hlc, scope) VALUES (" + t.id() + ", " + keyExpression(t, row)
                + ", " + op + ", at, " + scope + ")";
    }

    @Override
    public String keyExpression(SyncedTable t, String alias) {
        return key(t, t.key().stream().map(c -> alias + "." + dialect.quote(c)).toList());
    }

    @Override
    public String keyParameterExpression(SyncedTable t) {
        return key(
                t,
                t.key().stream()
                        .map(c -> "CAST(? AS " + DeclaredTypes.base(column(t, c).declaredType()) + ")")
                        .toList());
    }

    private String key(SyncedTable t, List<String> parts) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            texts.add(keyPart(column(t, t.key().get(i)), parts.get(i)));
        }
        return texts.size() == 1 ? texts.get(0) : "jsonb_build_array(" + String.join(", ", texts) + ")::text";
    }

    /** Canonical text of one key value, independent of the session's DateStyle, TimeZone and bytea_output. */
    private static String keyPart(Column c, String expr) {
        return switch (DeclaredTypes.base(c.declaredType())) {
            case "bytea" -> "encode(" + expr + ", 'hex')";
            case "timestamp with time zone" ->
                "to_char((" + expr + ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
            case "timestamp without time zone" -> "to_char(" + expr + ", 'YYYY-MM-DD\"T\"HH24:MI:SS.US')";
            case "date" -> "to_char(" + expr + ", 'YYYY-MM-DD')";
            default -> "(" + expr + ")::text";
        };
    }

    @Override
    public String storedKeysCondition(SyncedTable t, String alias, int n) {
        List<Column> key = t.key().stream().map(c -> column(t, c)).toList();
        if (key.stream().allMatch(PgArrays::scalar)) {
            // one array parameter per key column whatever the number of keys: one statement text, planned once
            if (key.size() == 1) {
                return alias + "." + dialect.quote(t.key().get(0)) + " = ANY(" + PgArrays.parameter(key.get(0)) + ")";
            }
            return "("
                    + t.key().stream().map(c -> alias + "." + dialect.quote(c)).collect(Collectors.joining(", "))
                    + ") IN (SELECT * FROM unnest("
                    + key.stream().map(PgArrays::parameter).collect(Collectors.joining(", ")) + "))";
        }
        String one = "("
                + t.key().stream()
                        .map(c -> "CAST(? AS " + DeclaredTypes.base(column(t, c).declaredType()) + ")")
                        .collect(Collectors.joining(", "))
                + ")";
        String columns =
                "(" + t.key().stream().map(c -> alias + "." + dialect.quote(c)).collect(Collectors.joining(", ")) + ")";
        // compare the key columns themselves so that the table's primary key index serves the lookup
        return (t.key().size() == 1 ? alias + "." + dialect.quote(t.key().get(0)) : columns) + " IN ("
                + String.join(
                        ", ", Collections.nCopies(n, t.key().size() == 1 ? one.substring(1, one.length() - 1) : one))
                + ")";
    }

    @Override
    public int bindStoredKeys(PreparedStatement ps, int from, SyncedTable t, List<Object> stored) throws SQLException {
        List<Column> key = t.key().stream().map(c -> column(t, c)).toList();
        if (key.stream().allMatch(PgArrays::scalar)) {
            String[][] parts = new String[key.size()][stored.size()];
            boolean hex = key.size() == 1
                    && DeclaredTypes.base(key.get(0).declaredType()).equals("bytea");
            for (int i = 0; i < stored.size(); i++) {
                if (key.size() == 1) {
                    // a one-column key is stored as the value's canonical text, which its type reads back (bytea: hex
                    // digits)
                    parts[0][i] = hex ? "\\x" + stored.get(i) : String.valueOf(stored.get(i));
                } else {
                    List<Object> values = decodeKey(t, stored.get(i));
                    for (int k = 0; k < values.size(); k++) {
                        parts[k][i] = PgArrays.text(values.get(k));
                    }
                }
            }
            for (String[] column : parts) {
                ps.setArray(from++, PgArrays.texts(ps.getConnection(), column));
            }
            return from;
        }
        for (Object k : stored) {
            for (Object part : decodeKey(t, k)) {
                ps.setObject(from++, part);
            }
        }
        return from;
    }

    @Override
    public String feedKeysCondition(String column, int n) {
        return column
                + " = ANY(CAST(? AS text[]))"; // one parameter whatever the number of keys: one statement text, planned
        // once
    }

    @Override
    public int bindFeedKeys(PreparedStatement ps, int from, List<Object> stored) throws SQLException {
        String[] keys = new String[stored.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = String.valueOf(stored.get(i));
        }
        ps.setArray(from, PgArrays.texts(ps.getConnection(), keys));
        return from + 1;
    }

    @Override
    public Object storedKey(SyncedTable t, List<Object> key) {
        if (key.size() != 1) {
            return null;
        }
        Object v = key.get(0);
        Column col = column(t, t.key().get(0));
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if ((v instanceof Long || v instanceof Integer) && col.jdbcType() == Types.BIGINT) {
            return v.toString();
        }
        String base = DeclaredTypes.base(col.declaredType());
        return v instanceof String s && (base.equals("text") || base.equals("character varying")) ? s : null;
    }

    @Override
    public List<Object> decodeKey(SyncedTable t, Object stored) {
        String text = String.valueOf(stored);
        if (t.key().size() == 1) {
            return Collections.singletonList(decodePart(column(t, t.key().get(0)), text));
        }
        List<String> parts;
        try {
            parts = JSON.readValue(text, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new ShuttleException(ErrorCode.INTERNAL, "cannot parse stored composite key: " + text, e);
        }
        if (parts.size() != t.key().size()) {
            throw new ShuttleException(
                    ErrorCode.INTERNAL,
                    "stored key " + text + " has " + parts.size() + " parts, expected "
                            + t.key().size());
        }
        List<Object> out = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            out.add(decodePart(column(t, t.key().get(i)), parts.get(i)));
        }
        return out;
    }

    private static Object decodePart(Column c, String text) {
        return switch (DeclaredTypes.base(c.declaredType())) {
            case "smallint", "integer", "bigint" -> Long.valueOf(text);
            case "numeric" -> new BigDecimal(text);
            case "real", "double precision" -> Double.valueOf(text);
            case "boolean" -> Boolean.valueOf(text);
            case "bytea" -> HexFormat.of().parseHex(text);
            // the form values of these columns are read in (Jdbc.readValue), so that a change's key matches its values
            case "timestamp with time zone" -> isoTime(text, true);
            case "timestamp without time zone" -> isoTime(text, false);
            default -> text;
        };
    }

    private static String isoTime(String text, boolean zoned) {
        try {
            return zoned
                    ? OffsetDateTime.parse(text).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    : LocalDateTime.parse(text).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        } catch (DateTimeParseException e) {
            return text; // infinity and other values java.time does not hold
        }
    }

    private static Column column(SyncedTable t, String name) {
        return t.table()
                .column(name)
                .orElseThrow(() -> new ShuttleException(
                        ErrorCode.INTERNAL, "column \"" + name + "\" of \"" + t.name() + "\" is not known"));
    }

    @Override
    public void fold(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT _shuttle_fold()")) {
            rs.next();
        }
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

    /**
     * Writes the feed entries of an apply in one statement, one entry per row in the order given,
     * with fresh seqs after the clock's, and moves the clock past them; then notifies the feed
     * channel as a fold does. Runs under the fold lock {@link #beginApply} took, so these seqs
     * become visible in order like any fold's. Entries of rows the feed is expected not to hold go
     * in with a plain insert ({@link InsertAsNew}), the others replace their row's entry.
     */
    private static final String FEED_ROWS =
            "unnest(CAST(? AS integer[]), CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS bigint[]),"
                    + " CAST(? AS text[]), CAST(? AS integer[]), CAST(? AS bigint[]), CAST(? AS bigint[]), CAST(? AS integer[]),"
                    + " CAST(? AS boolean[])) WITH ORDINALITY AS u(tbl, pk, op, hlc, scope, origin, version, base, via, fresh, rn)";

    private static final String FEED_INSERT =
            "INSERT INTO _shuttle_feed (tbl, pk, seq, op, hlc, origin, version, base, scope, via)\n"
                    + "    SELECT u.tbl, u.pk, (SELECT seq FROM clock) + u.rn, u.op, u.hlc, u.origin, u.version, u.base, u.scope, u.via FROM ";
    private static final String FEED_REPLACE = "\n    " + FEED_ENTRY_REPLACES;
    private static final String FEED_END =
            ",\n  moved AS (UPDATE _shuttle_clock SET seq = seq + ?, hlc = greatest(hlc, ?) WHERE id = 1 RETURNING 1)\n"
                    + "SELECT pg_notify('" + PostgresDialect.FEED_CHANNEL + "', current_schema())";
    private static final String FEED_CLOCK = "WITH clock AS (SELECT seq FROM _shuttle_clock WHERE id = 1),\n";
    /** Every entry new to the feed. */
    private static final String FEED_WRITE_NEW =
            FEED_CLOCK + "  feed AS (" + FEED_INSERT + FEED_ROWS + " RETURNING 1)" + FEED_END;
    /** Every entry replacing the row's. */
    private static final String FEED_WRITE_REPLACING =
            FEED_CLOCK + "  feed AS (" + FEED_INSERT + FEED_ROWS + FEED_REPLACE + " RETURNING 1)" + FEED_END;
    /** Some of each. */
    private static final String FEED_WRITE_MIXED = FEED_CLOCK + "  u AS (SELECT * FROM " + FEED_ROWS + "),\n"
            + "  inserted AS (" + FEED_INSERT + "u WHERE u.fresh RETURNING 1),\n"
            + "  replaced AS (" + FEED_INSERT + "u WHERE NOT u.fresh" + FEED_REPLACE + " RETURNING 1)" + FEED_END;

    @Override
    public void endApply(Connection c, long token, List<AppliedEntry> entries) throws SQLException {
        // what other connections committed meanwhile is folded first: the applied entries come after it,
        // as the latest writes to their rows
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT set_config('shuttle.applying', 'off', true), _shuttle_fold()")) {
            rs.next();
        }
        if (entries.isEmpty()) {
            return;
        }
        String[] keys = storedKeys(c, entries);
        // a row written twice keeps its last entry, in the place of that entry (stored keys are exact),
        // and is new to the feed when its first entry was
        Map<String, Integer> last = new HashMap<>(keys.length * 2);
        Map<String, Boolean> firstNew = new HashMap<>(); // of rows written more than once
        for (int i = 0; i < keys.length; i++) {
            String row = entries.get(i).table().id() + ":" + keys[i];
            Integer before = last.put(row, i);
            if (before != null) {
                firstNew.putIfAbsent(row, entries.get(before).expectedNew());
            }
        }
        int n = last.size();
        Integer[] tbl = new Integer[n];
        String[] pk = new String[n];
        Integer[] op = new Integer[n];
        Long[] hlc = new Long[n];
        String[] scope = new String[n];
        Integer[] origin = new Integer[n];
        Long[] version = new Long[n];
        Long[] base = new Long[n];
        Integer[] via = new Integer[n];
        Boolean[] isNew = new Boolean[n];
        int fresh = 0;
        long maxHlc = Long.MIN_VALUE;
        int j = 0;
        for (int i = 0; i < keys.length; i++) {
            AppliedEntry e = entries.get(i);
            String row = n < keys.length ? e.table().id() + ":" + keys[i] : null;
            if (row != null && last.get(row) != i) {
                continue;
            }
            tbl[j] = e.table().id();
            pk[j] = keys[i];
            op[j] = e.op();
            hlc[j] = e.hlc();
            scope[j] = e.scope() == null ? null : e.scope().toString();
            origin[j] = e.origin();
            version[j] = e.version();
            base[j] = e.base();
            via[j] = e.via();
            isNew[j] = row == null ? e.expectedNew() : firstNew.getOrDefault(row, e.expectedNew());
            fresh += isNew[j] ? 1 : 0;
            maxHlc = Math.max(maxHlc, e.hlc());
            j++;
        }
        Array[] arrays = {
            c.createArrayOf("int4", tbl),
            c.createArrayOf("text", pk),
            c.createArrayOf("int4", op),
            c.createArrayOf("int8", hlc),
            c.createArrayOf("text", scope),
            c.createArrayOf("int4", origin),
            c.createArrayOf("int8", version),
            c.createArrayOf("int8", base),
            c.createArrayOf("int4", via),
            c.createArrayOf("bool", isNew)
        };
        String tried = fresh == n ? FEED_WRITE_NEW : FEED_WRITE_MIXED;
        long clockHlc = maxHlc;
        if (fresh == 0 || !InsertAsNew.tried(c, () -> writeFeed(c, tried, arrays, n, clockHlc))) {
            // (when some entry taken as new exists after all, a concurrent write to its row was folded meanwhile)
            writeFeed(c, FEED_WRITE_REPLACING, arrays, n, clockHlc);
        }
    }

    private static void writeFeed(Connection c, String sql, Array[] arrays, int n, long maxHlc) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < arrays.length; i++) {
                ps.setArray(i + 1, arrays[i]);
            }
            ps.setLong(arrays.length + 1, n);
            ps.setLong(arrays.length + 2, maxHlc);
            ps.executeQuery().close();
        }
    }

    /**
     * The stored forms of the entries' keys: computed in Java when that is certain, otherwise by the
     * database's own key expression, one statement per table over all of its keys.
     */
    private String[] storedKeys(Connection c, List<AppliedEntry> entries) throws SQLException {
        String[] out = new String[entries.size()];
        Map<SyncedTable, List<Integer>> unknown = new LinkedHashMap<>();
        for (int i = 0; i < out.length; i++) {
            AppliedEntry e = entries.get(i);
            Object known = storedKey(e.table(), e.key());
            if (known != null) {
                out[i] = known.toString();
            } else {
                unknown.computeIfAbsent(e.table(), t -> new ArrayList<>()).add(i);
            }
        }
        for (var u : unknown.entrySet()) {
            SyncedTable t = u.getKey();
            List<Column> key = t.key().stream().map(col -> column(t, col)).toList();
            if (!key.stream().allMatch(PgArrays::scalar)) {
                for (int i : u.getValue()) {
                    out[i] = encodeKey(c, t, entries.get(i).key());
                }
                continue;
            }
            List<String> names = new ArrayList<>();
            for (int k = 0; k < key.size(); k++) {
                names.add("u.k" + k);
            }
            String sql = "SELECT " + key(t, names) + " FROM unnest("
                    + key.stream().map(PgArrays::parameter).collect(Collectors.joining(", "))
                    + ") WITH ORDINALITY AS u(" + String.join(", ", names).replace("u.", "") + ", rn) ORDER BY u.rn";
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int k = 0; k < key.size(); k++) {
                    String[] parts = new String[u.getValue().size()];
                    for (int j = 0; j < parts.length; j++) {
                        parts[j] = PgArrays.text(
                                entries.get(u.getValue().get(j)).key().get(k));
                    }
                    ps.setArray(k + 1, PgArrays.texts(c, parts));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    for (int i : u.getValue()) {
                        rs.next();
                        out[i] = rs.getString(1);
                    }
                }
            }
        }
        return out;
    }

    /** The stored form of one key by the database's own expression. */
    private String encodeKey(Connection c, SyncedTable t, List<Object> key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + keyParameterExpression(t))) {
            for (int i = 0; i < key.size(); i++) {
                ps.setObject(i + 1, key.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Override
    public void logLocalWrite(Connection c, SyncedTable t, List<Object> key) throws SQLException {
        List<Object> args = new ArrayList<>();
        args.add(t.id());
        args.addAll(key);
        Jdbc.update(
                c,
                "INSERT INTO _shuttle_log (tbl, pk, op, hlc) VALUES (?, " + keyParameterExpression(t) + ", " + OP_UPSERT
                        + ", " + NOW_MS + " << 16)",
                args.toArray());
    }

    @Override
    public long[] nextSeqAndHlc(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT seq + 1, greatest(hlc + 1, " + NOW_MS + " << 16) FROM _shuttle_clock WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    @Override
    public void advanceClock(Connection c, long seq, long hlc) throws SQLException {
        fold(c);
        Jdbc.update(
                c, "UPDATE _shuttle_clock SET seq = greatest(seq, ?), hlc = greatest(hlc, ?) WHERE id = 1", seq, hlc);
    }

    private List<String> dropStatements(SyncedTable t) {
        return List.of(
                "DROP TRIGGER IF EXISTS \"_shuttle_capture\" ON " + dialect.quote(t.name()),
                "DROP FUNCTION IF EXISTS " + functionName(t) + "()");
    }

    @Override
    public void removeAll(Connection c) throws SQLException {
        List<String> drops = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery(
                    "SELECT format('DROP TRIGGER IF EXISTS %I ON %I', t.tgname, r.relname) FROM pg_trigger t"
                            + " JOIN pg_class r ON r.oid = t.tgrelid WHERE r.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
                            + " AND t.tgname LIKE '\\_shuttle\\_%'")) {
                while (rs.next()) {
                    drops.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT format('DROP FUNCTION IF EXISTS %I()', p.proname) FROM pg_proc p"
                            + " WHERE p.pronamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND p.proname LIKE '\\_shuttle\\_%'")) {
                while (rs.next()) {
                    drops.add(rs.getString(1));
                }
            }
            try (ResultSet rs = s.executeQuery(
                    "SELECT format('DROP TABLE IF EXISTS %I CASCADE', r.relname) FROM pg_class r"
                            + " WHERE r.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND r.relkind = 'r' AND r.relname LIKE '\\_shuttle\\_%'")) {
                while (rs.next()) {
                    drops.add(rs.getString(1));
                }
            }
            for (String sql : drops) {
                s.execute(sql);
            }
        }
    }

    private static String functionName(SyncedTable t) {
        return "\"_shuttle_capture_" + t.id() + "\"";
    }
}
