package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.Postgres;
import org.junit.jupiter.api.Test;

/**
 * A cluster whose hub is on PostgreSQL (a schema of its own, dropped on close) with its own DDL,
 * reached over HTTP; decimals and booleans compare by value with the SQLite devices'.
 */
class ShuttleTestClusterPostgresIT {
    @Test
    void devicesConvergeWithAPostgresHubOverHttp() {
        String database = Postgres.freshDatabase();
        TestSchema schema = TestSchema.of("""
                        CREATE TABLE item (sku TEXT PRIMARY KEY, price NUMERIC(10, 2), active BOOLEAN);
                        CREATE TABLE tag (sku TEXT REFERENCES item(sku), tag TEXT, PRIMARY KEY (sku, tag)) WITHOUT ROWID;
                        """).onPostgres("""
                        CREATE TABLE item (sku TEXT PRIMARY KEY, price NUMERIC(10, 2), active BOOLEAN);
                        CREATE TABLE tag (sku TEXT REFERENCES item(sku), tag TEXT, PRIMARY KEY (sku, tag));
                        """);
        String hubSchema;
        try (ShuttleTestCluster cluster = ShuttleTestCluster.builder()
                .schema(schema)
                .postgresHub(database)
                .overHttp()
                .start()) {
            assertThat(cluster.hub().url()).startsWith(database).contains("currentSchema=shuttle_testkit_");
            hubSchema = cluster.hub().url().substring(cluster.hub().url().indexOf("currentSchema=") + 14);
            cluster.device(0)
                    .execute("INSERT INTO item VALUES ('a-1', 12.50, 1)", "INSERT INTO tag VALUES ('a-1', 'red')");
            cluster.device(1).execute("INSERT INTO item VALUES ('b-2', 3, 0)");
            cluster.syncAll();
            cluster.assertConverged();
            assertThat(cluster.hub().rows("item")).hasSize(2);
        }
        assertThat(Postgres.count(
                        database,
                        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = '" + hubSchema + "'"))
                .isZero();
    }
}
