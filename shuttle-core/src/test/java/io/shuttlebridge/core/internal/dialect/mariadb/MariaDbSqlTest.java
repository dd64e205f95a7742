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
}
