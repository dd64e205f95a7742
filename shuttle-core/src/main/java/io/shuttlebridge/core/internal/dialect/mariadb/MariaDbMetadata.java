package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.internal.dialect.FormatStep;
import io.shuttlebridge.core.internal.dialect.MetadataObjects;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The metadata tables on MariaDB, in the connection's database, and their removal with every capture
 * trigger. Every table is InnoDB in {@code utf8mb4} compared byte for byte without padding ({@code
 * utf8mb4_nopad_bin}): stored keys, node uuids and metadata keys are exact. Text that is part of a key
 * is a {@code VARCHAR} of bounded length, so that the key fits InnoDB's 3072 bytes.
 *
 * <p><b>Format.</b> MariaDB hubs begin at format 5: every database this build creates has the tables of
 * every format so far, and there is no earlier MariaDB format to upgrade from, so there are no steps yet.
 * A later change of these tables adds its step here (the format mechanism, {@code FormatUpgrade}, is the
 * same as on the other products); note that MariaDB commits implicitly before and after each DDL
 * statement, so a step that changes a table is not rolled back with the rest of an upgrade that fails.
 */
final class MariaDbMetadata implements MetadataObjects {
    private static final String TABLE_OPTIONS = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin";

    /** Feed keys: bounded so that (tbl, pk) and (tbl, pk, col) fit an InnoDB key. */
    static final int KEY_CHARS = 700;

    private static final List<String> DDL = List.of(
            "CREATE TABLE IF NOT EXISTS _shuttle_meta (`key` VARCHAR(255) PRIMARY KEY, value LONGTEXT)" + TABLE_OPTIONS,
            "CREATE TABLE IF NOT EXISTS _shuttle_nodes (id INT PRIMARY KEY, uuid VARCHAR(64) NOT NULL UNIQUE)"
                    + TABLE_OPTIONS,
            """
            CREATE TABLE IF NOT EXISTS _shuttle_tables (id INT PRIMARY KEY, name VARCHAR(255) NOT NULL UNIQUE,
              policy VARCHAR(64) NOT NULL, scope_column VARCHAR(255), excluded TEXT NOT NULL DEFAULT (''))""" + TABLE_OPTIONS,
            // capture log: appended by triggers and by the apply path, emptied by every fold
            """
            CREATE TABLE IF NOT EXISTS _shuttle_log (seq BIGINT AUTO_INCREMENT PRIMARY KEY, tbl INT NOT NULL,
              pk VARCHAR(%d), op INT NOT NULL, hlc BIGINT NOT NULL, scope TEXT, origin INT, version BIGINT, via INT,
              base BIGINT)""".formatted(KEY_CHARS) + TABLE_OPTIONS,
            // the last feed seq handed out and the last stamp: the local clock, and the fold lock
            "CREATE TABLE IF NOT EXISTS _shuttle_clock (id INT PRIMARY KEY, seq BIGINT NOT NULL, hlc BIGINT NOT NULL)"
                    + TABLE_OPTIONS,
            "INSERT INTO _shuttle_clock (id, seq, hlc) VALUES (1, 0, 0) ON DUPLICATE KEY UPDATE id = id",
            """
            CREATE TABLE IF NOT EXISTS _shuttle_feed (tbl INT NOT NULL, pk VARCHAR(%d) NOT NULL, seq BIGINT NOT NULL,
              op INT NOT NULL, hlc BIGINT NOT NULL, origin INT NOT NULL, version BIGINT NOT NULL,
              base BIGINT NOT NULL, scope TEXT, via INT, PRIMARY KEY (tbl, pk), UNIQUE KEY _shuttle_feed_seq (seq))""".formatted(KEY_CHARS) + TABLE_OPTIONS,
            """
            CREATE TABLE IF NOT EXISTS _shuttle_colclock (tbl INT NOT NULL, pk VARCHAR(%d) NOT NULL,
              col VARCHAR(64) NOT NULL, hlc BIGINT NOT NULL, origin INT NOT NULL, PRIMARY KEY (tbl, pk, col))""".formatted(KEY_CHARS) + TABLE_OPTIONS,
            """
            CREATE TABLE IF NOT EXISTS _shuttle_peers (peer VARCHAR(255) PRIMARY KEY, last_pulled BIGINT NOT NULL DEFAULT 0,
              last_pushed BIGINT NOT NULL DEFAULT 0, acked BIGINT NOT NULL DEFAULT 0, last_sync_at TEXT,
              last_outcome TEXT)""" + TABLE_OPTIONS,
            """
            CREATE TABLE IF NOT EXISTS _shuttle_conflicts (id BIGINT AUTO_INCREMENT PRIMARY KEY,
              tbl TEXT NOT NULL, key_json LONGTEXT NOT NULL, policy TEXT NOT NULL, local_json LONGTEXT, local_hlc BIGINT,
              local_origin TEXT, local_version BIGINT, remote_json LONGTEXT, remote_hlc BIGINT, remote_origin TEXT,
              remote_version BIGINT, remote_base BIGINT, detected_at TEXT NOT NULL, status TEXT NOT NULL,
              resolution TEXT, resolved_at TEXT)""" + TABLE_OPTIONS,
            "CREATE TABLE IF NOT EXISTS _shuttle_refused (seq BIGINT PRIMARY KEY)" + TABLE_OPTIONS,
            // a hub's re-stamps of changes pushed too far ahead of its clock (RestampStore)
            """
            CREATE TABLE IF NOT EXISTS _shuttle_restamps (origin VARCHAR(64) NOT NULL, hlc BIGINT NOT NULL,
              new_hlc BIGINT NOT NULL, restamped_at TEXT NOT NULL, PRIMARY KEY (origin, hlc))""" + TABLE_OPTIONS,
            """
            CREATE TABLE IF NOT EXISTS _shuttle_pending (tbl VARCHAR(255) NOT NULL, key_json VARCHAR(500) NOT NULL,
              change_json LONGTEXT NOT NULL, via TEXT, reason TEXT NOT NULL, attempts INT NOT NULL, first_seen TEXT NOT NULL,
              PRIMARY KEY (tbl, key_json))""" + TABLE_OPTIONS);

    private static final String TRIGGERS = """
            SELECT concat('DROP TRIGGER IF EXISTS `', replace(trigger_name, '`', '``'), '`')
            FROM information_schema.triggers
            WHERE trigger_schema = database() AND left(trigger_name, 9) = '_shuttle_'""";

    private static final String TABLES = """
            SELECT concat('DROP TABLE IF EXISTS `', replace(table_name, '`', '``'), '`')
            FROM information_schema.tables
            WHERE table_schema = database() AND table_type = 'BASE TABLE' AND left(table_name, 9) = '_shuttle_'""";

    @Override
    public List<String> metadataDdl() {
        return DDL;
    }

    @Override
    public List<FormatStep> formatSteps() {
        return List.of(new io.shuttlebridge.core.internal.dialect.CaptureCodeAnew());
    }

    @Override
    public void removeAll(Connection c) throws SQLException {
        List<String> drops = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            for (String query : List.of(TRIGGERS, TABLES)) {
                try (ResultSet rs = s.executeQuery(query)) {
                    while (rs.next()) {
                        drops.add(rs.getString(1));
                    }
                }
            }
            for (String sql : drops) {
                s.execute(sql);
            }
        }
    }
}
