package io.shuttlebridge.spring.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;

class DataSourceTunerTest {
    private static HikariDataSource pool(String url) {
        HikariDataSource pool = new HikariDataSource(); // not started: no connection is opened
        pool.setJdbcUrl(url);
        return pool;
    }

    @Test
    void aSqlitePoolGetsTheEnginesSettings() {
        HikariDataSource pool = pool("jdbc:sqlite:/tmp/app.db");
        new DataSourceTuner().postProcessBeforeInitialization(pool, "dataSource");
        assertThat(pool.getDataSourceProperties())
                .containsEntry("journal_mode", "WAL")
                .containsEntry("foreign_keys", "true")
                .containsEntry("busy_timeout", "30000")
                .containsEntry("transaction_mode", "IMMEDIATE")
                .doesNotContainKey("cache_size");
    }

    @Test
    void whatTheApplicationSetIsKept() {
        HikariDataSource pool = pool("jdbc:sqlite:/tmp/app.db?busy_timeout=5000");
        pool.addDataSourceProperty("journal_mode", "DELETE");
        new DataSourceTuner().postProcessBeforeInitialization(pool, "dataSource");
        assertThat(pool.getDataSourceProperties())
                .containsEntry("journal_mode", "DELETE")
                .doesNotContainKey("busy_timeout")
                .containsEntry("foreign_keys", "true");
    }

    @Test
    void aPostgresPoolGetsUntypedStrings() {
        HikariDataSource pool = pool("jdbc:postgresql://db/app");
        new DataSourceTuner().postProcessBeforeInitialization(pool, "dataSource");
        assertThat(pool.getDataSourceProperties())
                .containsExactlyEntriesOf(java.util.Map.of("stringtype", "unspecified"));
    }

    @Test
    void otherBeansAndDatabasesAreLeftAlone() {
        HikariDataSource pool = pool("jdbc:h2:mem:x");
        new DataSourceTuner().postProcessBeforeInitialization(pool, "dataSource");
        assertThat(pool.getDataSourceProperties()).isEmpty();
        Object other = new Object();
        assertThat(new DataSourceTuner().postProcessBeforeInitialization(other, "x"))
                .isSameAs(other);
    }
}
