package io.shuttlebridge.jpa;

import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.SharedCacheMode;
import java.nio.file.Path;
import org.hibernate.jpa.HibernatePersistenceConfiguration;

/** Entity manager factories for the tests, on a SQLite file (a device) or a PostgreSQL database (a hub). */
final class Jpa {
    /** Rows written in one JDBC batch. */
    static final int BATCH = 50;

    private final HibernatePersistenceConfiguration config;
    private final String name;

    private Jpa(String name, String url, Class<?>... entities) {
        this.name = name;
        config = new HibernatePersistenceConfiguration(name)
                .managedClasses(entities.length == 0 ? new Class<?>[] {Customer.class, Visit.class} : entities)
                .jdbcUrl(url)
                .property("hibernate.jdbc.batch_size", BATCH)
                .property("hibernate.order_inserts", true)
                .property("hibernate.order_updates", true)
                .property("hibernate.generate_statistics", true)
                .property("hibernate.connection.pool_size", 4)
                .schemaToolingAction(org.hibernate.tool.schema.Action.CREATE_ONLY);
    }

    /** A device: Hibernate's community dialect on a SQLite file, with the given entities or the test's two. */
    static Jpa sqlite(Path file, Class<?>... entities) {
        Jpa jpa = new Jpa("device-" + file.getFileName(), "jdbc:sqlite:" + file + "?busy_timeout=30000", entities);
        jpa.config.property("hibernate.dialect", "org.hibernate.community.dialect.SQLiteDialect");
        return jpa;
    }

    /** A hub: a PostgreSQL database. */
    static Jpa postgres(String url) {
        return new Jpa("hub", url);
    }

    /** With the second-level cache (JCache on Ehcache, every entity cached) or without it. */
    Jpa secondLevelCache(boolean on) {
        if (on) {
            config.sharedCacheMode(SharedCacheMode.ALL)
                    .property("hibernate.cache.use_second_level_cache", true)
                    .property("hibernate.cache.region.factory_class", "jcache")
                    // the cache manager is the JVM's: each replica's regions of their own
                    .property("hibernate.cache.region_prefix", name)
                    .property("hibernate.javax.cache.provider", "org.ehcache.jsr107.EhcacheCachingProvider")
                    .property("hibernate.javax.cache.missing_cache_strategy", "create");
        } else {
            config.sharedCacheMode(SharedCacheMode.NONE).property("hibernate.cache.use_second_level_cache", false);
        }
        return this;
    }

    /** Without batching (each statement on its own), to tell batching apart in statistics. */
    Jpa unbatched() {
        config.property("hibernate.jdbc.batch_size", 1);
        return this;
    }

    /** On tables that exist already: no schema action. */
    Jpa existingSchema() {
        config.schemaToolingAction(org.hibernate.tool.schema.Action.NONE);
        return this;
    }

    Jpa property(String name, Object value) {
        config.property(name, value);
        return this;
    }

    EntityManagerFactory start() {
        return config.createEntityManagerFactory();
    }
}
