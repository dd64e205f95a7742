package io.shuttlebridge.core.internal.dialect.sqlite;

import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.FormatStep;
import io.shuttlebridge.core.internal.dialect.MetadataObjects;
import io.shuttlebridge.core.internal.dialect.MissingTable;
import io.shuttlebridge.core.internal.dialect.PendingColumnStampsIndex;
import io.shuttlebridge.core.internal.dialect.RetiredPeersInMeta;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The metadata tables on SQLite and their removal, with every trigger capture installed. */
final class SqliteMetadata implements MetadataObjects {
    private static final List<String> DDL = List.of(
            "CREATE TABLE IF NOT EXISTS _shuttle_meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID",
            "CREATE TABLE IF NOT EXISTS _shuttle_nodes (id INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE)",
            """
            CREATE TABLE IF NOT EXISTS _shuttle_tables (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE,
              policy TEXT NOT NULL, scope_column TEXT, excluded TEXT NOT NULL DEFAULT '')""",
            // capture log: appended by triggers, folded into the feed; tbl 0 marks the clock marker row
            """
            CREATE TABLE IF NOT EXISTS _shuttle_log (seq INTEGER PRIMARY KEY, tbl INTEGER NOT NULL, pk BLOB,
              op INTEGER NOT NULL, hlc INTEGER NOT NULL, scope BLOB, origin INTEGER, version INTEGER, via INTEGER, base INTEGER)""",
            "INSERT INTO _shuttle_log (seq, tbl, op, hlc) SELECT 0, 0, 0, 0 WHERE NOT EXISTS (SELECT 1 FROM _shuttle_log)",
            // One entry per row (the latest write); pk holds the key value itself (BLOB affinity keeps
            // every value as it is) or, for composite keys, the quote()d parts joined by commas.
            """
            CREATE TABLE IF NOT EXISTS _shuttle_feed (tbl INTEGER NOT NULL, pk BLOB NOT NULL,
              seq INTEGER NOT NULL, op INTEGER NOT NULL, hlc INTEGER NOT NULL, origin INTEGER NOT NULL,
              version INTEGER NOT NULL, base INTEGER NOT NULL, scope BLOB, via INTEGER,
              PRIMARY KEY (tbl, pk)) WITHOUT ROWID""",
            "CREATE UNIQUE INDEX IF NOT EXISTS _shuttle_feed_seq ON _shuttle_feed (seq)",
            """
            CREATE TABLE IF NOT EXISTS _shuttle_colclock (tbl INTEGER NOT NULL, pk BLOB NOT NULL,
              col TEXT NOT NULL, hlc INTEGER NOT NULL, origin INTEGER NOT NULL,
              PRIMARY KEY (tbl, pk, col)) WITHOUT ROWID""",
            PendingColumnStampsIndex.DDL,
            // per peer and direction: last seq pulled from it, last local seq pushed to it, last seq it
            // acknowledged
            """
            CREATE TABLE IF NOT EXISTS _shuttle_peers (peer TEXT PRIMARY KEY, last_pulled INTEGER NOT NULL DEFAULT 0,
              last_pushed INTEGER NOT NULL DEFAULT 0, acked INTEGER NOT NULL DEFAULT 0, last_sync_at TEXT,
              last_outcome TEXT)""",
            """
            CREATE TABLE IF NOT EXISTS _shuttle_conflicts (id INTEGER PRIMARY KEY, tbl TEXT NOT NULL, key_json TEXT NOT NULL,
              policy TEXT NOT NULL, local_json TEXT, local_hlc INTEGER, local_origin TEXT, local_version INTEGER,
              remote_json TEXT, remote_hlc INTEGER, remote_origin TEXT, remote_version INTEGER, remote_base INTEGER,
              detected_at TEXT NOT NULL, status TEXT NOT NULL, resolution TEXT, resolved_at TEXT)""",
            """
            CREATE TABLE IF NOT EXISTS _shuttle_pending (tbl TEXT NOT NULL, key_json TEXT NOT NULL, change_json TEXT NOT NULL,
              via TEXT, reason TEXT NOT NULL, attempts INTEGER NOT NULL, first_seen TEXT NOT NULL,
              PRIMARY KEY (tbl, key_json))""",
            "CREATE TABLE IF NOT EXISTS _shuttle_applying (id INTEGER PRIMARY KEY)",
            "CREATE TABLE IF NOT EXISTS _shuttle_refused (seq INTEGER PRIMARY KEY)",
            // a hub's re-stamps of changes pushed too far ahead of its clock (RestampStore)
            """
            CREATE TABLE IF NOT EXISTS _shuttle_restamps (origin TEXT NOT NULL, hlc INTEGER NOT NULL,
              new_hlc INTEGER NOT NULL, restamped_at TEXT NOT NULL, PRIMARY KEY (origin, hlc))""",
            """
            CREATE TABLE IF NOT EXISTS _shuttle_bundles (bundle_id TEXT PRIMARY KEY, source_node TEXT NOT NULL,
              imported_at TEXT NOT NULL, applied INTEGER NOT NULL, duplicates INTEGER NOT NULL)""");

    /**
     * How the tables above came to be, from format 1 (every database written before formats were
     * numbered, whatever it holds of the changes below). Each step's SQL is as its format wrote it.
     */
    private static final List<FormatStep> STEPS = List.of(
            // 2: the apply bracket (triggers log nothing while a row is in _shuttle_applying) and the
            // entries the hub refused, kept until the next push acknowledgement
            new MissingTable(
                    2, "_shuttle_applying", "CREATE TABLE IF NOT EXISTS _shuttle_applying (id INTEGER PRIMARY KEY)"),
            new MissingTable(
                    2, "_shuttle_refused", "CREATE TABLE IF NOT EXISTS _shuttle_refused (seq INTEGER PRIMARY KEY)"),
            // offline bundles came while format 1 was written: the earliest databases that sync lack their table
            new MissingTable(2, "_shuttle_bundles", """
                    CREATE TABLE IF NOT EXISTS _shuttle_bundles (bundle_id TEXT PRIMARY KEY, source_node TEXT NOT NULL,
                      imported_at TEXT NOT NULL, applied INTEGER NOT NULL, duplicates INTEGER NOT NULL)"""),
            // 3 changed the feed keys of PostgreSQL only
            // 4: a hub's re-stamps of changes pushed too far ahead of its clock
            new MissingTable(4, "_shuttle_restamps", """
                    CREATE TABLE IF NOT EXISTS _shuttle_restamps (origin TEXT NOT NULL, hlc INTEGER NOT NULL,
                      new_hlc INTEGER NOT NULL, restamped_at TEXT NOT NULL, PRIMARY KEY (origin, hlc))"""),
            new RetiredPeersInMeta(),
            new PendingColumnStampsIndex());

    /** Every trigger, table and view whose name starts with {@code _shuttle_}, triggers first. */
    private static final String OBJECTS = """
            SELECT type, name FROM sqlite_schema WHERE name LIKE '\\_shuttle\\_%' ESCAPE '\\'
              AND type IN ('trigger', 'table', 'view') ORDER BY CASE type WHEN 'trigger' THEN 0 ELSE 1 END""";

    private final Dialect dialect;

    SqliteMetadata(Dialect dialect) {
        this.dialect = dialect;
    }

    /** An object of the database schema: its type ({@code trigger}, {@code table}, ...) and name. */
    private record SchemaObject(String type, String name) {}

    @Override
    public List<String> metadataDdl() {
        return DDL;
    }

    @Override
    public List<FormatStep> formatSteps() {
        return STEPS;
    }

    @Override
    public void removeAll(Connection c) throws SQLException {
        List<SchemaObject> objects = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(OBJECTS);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                objects.add(new SchemaObject(rs.getString(1), rs.getString(2)));
            }
        }
        try (Statement s = c.createStatement()) {
            for (SchemaObject o : objects) {
                s.execute("DROP " + o.type().toUpperCase(Locale.ROOT) + " IF EXISTS " + dialect.quote(o.name()));
            }
        }
    }
}
