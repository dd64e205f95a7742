package io.shuttlebridge.core.internal.dialect.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.MariaDb;
import org.junit.jupiter.api.Test;

/** The suite's MariaDB: a server answers, each test gets a database of its own, in utf8mb4. */
class MariaDbServerTest {

    @Test
    void aFreshDatabaseIsEmptyAndUtf8mb4() {
        String url = MariaDb.freshDatabase();
        String other = MariaDb.freshDatabase();
        assertThat(url).isNotEqualTo(other);
        assertThat(MariaDb.query(url, "SELECT version() AS v").get(0).get("v").toString())
                .containsIgnoringCase("mariadb");
        assertThat(MariaDb.count(url, "SELECT count(*) FROM information_schema.tables WHERE table_schema = database()"))
                .isZero();
        assertThat(MariaDb.query(url, "SELECT @@character_set_database AS cs")
                        .get(0)
                        .get("cs"))
                .isEqualTo("utf8mb4");
        MariaDb.exec(
                url,
                "CREATE TABLE t (id INT PRIMARY KEY, name VARCHAR(20))",
                "INSERT INTO t VALUES (1, '\u00e9\ud83d\ude00')");
        assertThat(MariaDb.query(url, "SELECT name FROM t").get(0).get("name")).isEqualTo("\u00e9\ud83d\ude00");
        assertThat(MariaDb.count(
                        other, "SELECT count(*) FROM information_schema.tables WHERE table_schema = database()"))
                .isZero();
        MariaDb.dropDatabase(other);
    }
}
