package io.shuttlebridge.spring.internal;

import com.zaxxer.hikari.HikariDataSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Gives the application's HikariCP pool the connection settings the engine needs, before the pool
 * opens its first connection, unless the application set them ({@code shuttle.datasource.tune=false}
 * turns this off). SQLite: WAL, {@code synchronous=NORMAL}, foreign keys on, a 30 s busy timeout and
 * IMMEDIATE transactions (the write lock taken when a transaction begins, so that the application's
 * writes and a sync's wait for each other instead of failing); PostgreSQL: {@code
 * stringtype=unspecified} (text values typed by their column, as devices send them).
 */
public final class DataSourceTuner implements BeanPostProcessor {
    static final Map<String, String> SQLITE = new LinkedHashMap<>();
    static final Map<String, String> POSTGRES = Map.of("stringtype", "unspecified");

    static {
        SQLITE.put("journal_mode", "WAL");
        SQLITE.put("synchronous", "NORMAL");
        SQLITE.put("foreign_keys", "true");
        SQLITE.put("busy_timeout", "30000");
        SQLITE.put("transaction_mode", "IMMEDIATE");
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool && pool.getJdbcUrl() != null) {
            tune(pool);
        }
        return bean;
    }

    static void tune(HikariDataSource pool) {
        String url = pool.getJdbcUrl();
        Map<String, String> wanted =
                url.startsWith("jdbc:sqlite:") ? SQLITE : url.startsWith("jdbc:postgresql:") ? POSTGRES : Map.of();
        Properties set = pool.getDataSourceProperties();
        String lowerUrl = url.toLowerCase(Locale.ROOT);
        wanted.forEach((key, value) -> {
            if (!set.containsKey(key) && !lowerUrl.contains(key.toLowerCase(Locale.ROOT) + "=")) {
                pool.addDataSourceProperty(key, value);
            }
        });
    }
}
