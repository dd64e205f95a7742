package io.shuttlebridge.core.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.internal.dialect.FeedSql;
import org.junit.jupiter.api.Test;

/** The engine's statements in MariaDB's spelling. */
class MariaDbSqlTest {

    @Test
    void upsertsBecomeOnDuplicateKeyUpdate() {
        assertThat(
                        MariaDbSql.rewrite(
                                "INSERT INTO _shuttle_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value"))
                .isEqualTo(
                        "INSERT INTO _shuttle_meta (`key`, value) VALUES (?, ?) ON DUPLICATE KEY UPDATE _shuttle_meta.value = VALUES(value)");
        assertThat(
                        MariaDbSql.rewrite(
                                "INSERT INTO _shuttle_meta (key, value) VALUES ('format', '1') ON CONFLICT (key) DO UPDATE SET value = _shuttle_meta.value"))
                .endsWith("ON DUPLICATE KEY UPDATE _shuttle_meta.value = _shuttle_meta.value");
        assertThat(MariaDbSql.rewrite("INSERT INTO _shuttle_peers (peer) VALUES (?) ON CONFLICT DO NOTHING"))
                .isEqualTo(
                        "INSERT INTO _shuttle_peers (peer) VALUES (?) ON DUPLICATE KEY UPDATE _shuttle_peers.peer = _shuttle_peers.peer");
        assertThat(MariaDbSql.rewrite("INSERT INTO t (a) SELECT 1 FROM x " + FeedSql.ENTRY_REPLACES))
                .contains("ON DUPLICATE KEY UPDATE t.seq = VALUES(seq), t.op = VALUES(op)")
                .contains("t.via = VALUES(via)")
                .doesNotContain("excluded");
    }

    @Test
    void aSubqueryOnTheInsertedTableIsMaterialized() {
        assertThat(MariaDbSql.rewrite(
                        "INSERT INTO _shuttle_nodes (id, uuid) VALUES ((SELECT max(id) + 1 FROM _shuttle_nodes), ?)"))
                .isEqualTo(
                        "INSERT INTO _shuttle_nodes (id, uuid) VALUES ((SELECT * FROM (SELECT max(id) + 1 FROM _shuttle_nodes) AS _shuttle_v), ?)");
    }

    @Test
    void stringsQuotedNamesAndKeywordsAreLeftAlone() {
        String sql = "SELECT value FROM _shuttle_meta WHERE key = 'key ON CONFLICT' AND \"key\" = 1";
        assertThat(MariaDbSql.rewrite(sql))
                .isEqualTo("SELECT value FROM _shuttle_meta WHERE `key` = 'key ON CONFLICT' AND \"key\" = 1");
        assertThat(MariaDbSql.rewrite("CREATE TABLE t (a int, primary key (a))"))
                .contains("primary key");
        assertThat(MariaDbSql.rewrite("SELECT CAST(x AS TEXT), CAST(y AS INTEGER), CAST(z AS BIGINT) FROM t"))
                .isEqualTo("SELECT CAST(x AS CHAR), CAST(y AS SIGNED), CAST(z AS SIGNED) FROM t");
    }

    @Test
    void textKeysOfTheEnginesOwnTablesBecomeBoundedText() {
        assertThat(MariaDbDdl.rewrite("CREATE TABLE IF NOT EXISTS _shuttle_node_subjects (node_uuid TEXT PRIMARY KEY,"
                        + " subject TEXT NOT NULL, bound_at BIGINT NOT NULL)"))
                .isEqualTo("CREATE TABLE IF NOT EXISTS _shuttle_node_subjects (node_uuid VARCHAR(255) PRIMARY KEY,"
                        + " subject TEXT NOT NULL, bound_at BIGINT NOT NULL)"
                        + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin");
        assertThat(MariaDbDdl.rewrite(
                        "CREATE TABLE _shuttle_x (a TEXT NOT NULL, b TEXT, n INTEGER, PRIMARY KEY (a, n))"))
                .startsWith("CREATE TABLE _shuttle_x (a VARCHAR(255) NOT NULL, b TEXT, n INTEGER, PRIMARY KEY (a, n))");
        assertThat(MariaDbDdl.rewrite("CREATE TABLE t (a TEXT UNIQUE)"))
                .isEqualTo("CREATE TABLE t (a VARCHAR(255) UNIQUE)");
        // a foreign key's text column gets its parent key's type; binary columns in a key a bounded length
        assertThat(MariaDbDdl.rewrite(
                        "CREATE TABLE c (id INTEGER PRIMARY KEY, p TEXT NOT NULL REFERENCES p (k), note TEXT)"))
                .isEqualTo(
                        "CREATE TABLE c (id INTEGER PRIMARY KEY, p VARCHAR(255) NOT NULL REFERENCES p (k), note TEXT)");
        assertThat(MariaDbDdl.rewrite("CREATE TABLE c (a TEXT, b TEXT, FOREIGN KEY (a) REFERENCES p (k))"))
                .isEqualTo("CREATE TABLE c (a VARCHAR(255), b TEXT, FOREIGN KEY (a) REFERENCES p (k))");
        assertThat(MariaDbDdl.rewrite("CREATE TABLE b (e BIGINT NOT NULL, ord LONGBLOB NOT NULL, h LONGBLOB NOT NULL,"
                        + " data LONGBLOB, PRIMARY KEY (e, ord, h))"))
                .isEqualTo("CREATE TABLE b (e BIGINT NOT NULL, ord VARBINARY(255) NOT NULL, h VARBINARY(255) NOT NULL,"
                        + " data LONGBLOB, PRIMARY KEY (e, ord, h))");
        String ctas = "CREATE TABLE IF NOT EXISTS _shuttle_resync AS SELECT tbl, pk FROM _shuttle_feed WHERE 1 = 0";
        assertThat(MariaDbDdl.rewrite(ctas)).isEqualTo(ctas);
    }

    @Test
    void literalDefaultsOfTextBlobAndJsonColumnsBecomeExpressionsAsMySql8WantsThem() {
        assertThat(
                        MariaDbDdl.rewrite(
                                "CREATE TABLE IF NOT EXISTS _shuttle_x (id INTEGER PRIMARY KEY,"
                                        + " status TEXT NOT NULL DEFAULT 'open', note LONGTEXT DEFAULT 'it''s, here', b BLOB DEFAULT '',"
                                        + " j JSON DEFAULT '{}', n INTEGER NOT NULL DEFAULT 0, t TEXT DEFAULT (''), v VARCHAR(9) DEFAULT 'x')"))
                .startsWith("CREATE TABLE IF NOT EXISTS _shuttle_x (id INTEGER PRIMARY KEY,"
                        + " status TEXT NOT NULL DEFAULT ('open'), note LONGTEXT DEFAULT ('it''s, here'),"
                        + " b BLOB DEFAULT (''), j JSON DEFAULT ('{}'), n INTEGER NOT NULL DEFAULT 0, t TEXT DEFAULT (''),"
                        + " v VARCHAR(9) DEFAULT 'x')");
        assertThat(MariaDbDdl.expressionDefault("`last outcome` MEDIUMTEXT NOT NULL DEFAULT -1 COMMENT 'c'"))
                .isEqualTo("`last outcome` MEDIUMTEXT NOT NULL DEFAULT (-1) COMMENT 'c'");
        assertThat(MariaDbDdl.expressionDefault("textual INTEGER DEFAULT 1")).isEqualTo("textual INTEGER DEFAULT 1");
    }
}
