package io.shuttlebridge.core.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.ShuttleException;
import java.sql.Connection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The exact collation chosen by the server a connection reports, and the statements given it. */
class MariaDbServerTest {
    @ParameterizedTest
    @CsvSource({
        "MariaDB, 11.4.5-MariaDB, utf8mb4_nopad_bin",
        "MariaDB, 10.11.9-MariaDB-ubu2204, utf8mb4_nopad_bin",
        "MySQL, 5.5.5-10.6.12-MariaDB, utf8mb4_nopad_bin", // an old MariaDB's handshake
        "MySQL, 8.0.36, utf8mb4_0900_bin",
        "MySQL, 8.4.2, utf8mb4_0900_bin",
        "MySQL, 9.1.0-commercial, utf8mb4_0900_bin"
    })
    void theCollationFollowsTheServer(String product, String version, String expected) {
        assertThat(MariaDbServer.exactCollation(product, version)).isEqualTo(expected);
    }

    @Test
    void mySqlBeforeEightIsRefusedByName() {
        assertThatThrownBy(() -> MariaDbServer.exactCollation("MySQL", "5.7.44"))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("MySQL 5.7.44")
                .hasMessageContaining("MySQL 8 or later");
    }

    @Test
    void theEmbeddedServerIsMariaDb() throws Exception {
        String url = MariaDb.freshDatabase();
        try (Connection c = MariaDb.connect(url)) {
            assertThat(MariaDbServer.exactCollation(c)).isEqualTo(MariaDbServer.MARIADB_EXACT);
        } finally {
            MariaDb.dropDatabase(url);
        }
    }

    @Test
    void statementsNameTheServersCollation() {
        String ddl = "CREATE TABLE _shuttle_x (k VARCHAR(10)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"
                + " COLLATE=utf8mb4_nopad_bin";
        assertThat(MariaDbSql.translate(ddl, MariaDbServer.MARIADB_EXACT)).contains("COLLATE=utf8mb4_nopad_bin");
        assertThat(MariaDbSql.translate(ddl, MariaDbServer.MYSQL_EXACT))
                .contains("COLLATE=utf8mb4_0900_bin")
                .doesNotContain("nopad");
        String key = "SELECT convert(x USING utf8mb4) COLLATE utf8mb4_nopad_bin FROM t";
        assertThat(MariaDbSql.translate(key, MariaDbServer.MYSQL_EXACT))
                .isEqualTo("SELECT convert(x USING utf8mb4) COLLATE utf8mb4_0900_bin FROM t");
    }
}
