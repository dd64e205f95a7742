package io.shuttlebridge.core.internal.dialect.mariadb;

import static io.shuttlebridge.core.MariaDb.exec;
import static io.shuttlebridge.core.MariaDb.query;
import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.MariaDb;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.Identifiers;
import io.shuttlebridge.core.internal.schema.ApplyPlan;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.internal.schema.Table;
import io.shuttlebridge.core.internal.schema.TypeMapping;
import io.shuttlebridge.core.sync.InProcessTransport;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Schema discovery on MariaDB: keys of every kind, foreign keys with self-references and cycles, and their order. */
class MariaDbSchemaTest {
    private static final String[] SCHEMA = {
        "CREATE TABLE customers (id bigint PRIMARY KEY, name varchar(40), referred_by bigint, last_order bigint,"
                + " FOREIGN KEY (referred_by) REFERENCES customers (id))",
        "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL, FOREIGN KEY (customer_id) REFERENCES customers (id))",
        "ALTER TABLE customers ADD CONSTRAINT last_order_fk FOREIGN KEY (last_order) REFERENCES orders (id)",
        "CREATE TABLE products (sku varchar(32) PRIMARY KEY, photo blob)",
        "CREATE TABLE `line items` (order_id bigint, n int, sku varchar(32), qty decimal(9,3) NOT NULL DEFAULT 1,"
                + " total decimal(12,2) AS (qty * 2) VIRTUAL, PRIMARY KEY (order_id, n),"
                + " FOREIGN KEY (order_id) REFERENCES orders (id), FOREIGN KEY (sku) REFERENCES products (sku))",
        "CREATE TABLE blobs (k varbinary(16) PRIMARY KEY, v text)",
        "CREATE TABLE other (a int, b char(2), c int, PRIMARY KEY (b, a), KEY (a), FOREIGN KEY (c) REFERENCES other (a))"
    };

    @TempDir
    Path dir;

    private static List<Table> read(ShuttleDatabase db) {
        Dialect d = Dialects.of(db);
        return db.read(c -> {
            List<Table> tables = new ArrayList<>();
            for (String name : d.listTables(c)) {
                tables.add(d.readTable(c, name));
            }
            return tables;
        });
    }

    @Test
    void keysForeignKeysAndTheirOrderAreDiscovered() {
        String url = MariaDb.freshDatabase();
        exec(url, SCHEMA);
        try (ShuttleDatabase db = ShuttleDatabase.open(url)) {
            Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
            List<Table> tables = read(db);
            assertThat(tables)
                    .extracting(Table::name)
                    .containsExactly("blobs", "customers", "line items", "orders", "other", "products");
            Table lines = tables.get(2);
            assertThat(lines.primaryKey()).containsExactly("order_id", "n");
            assertThat(lines.columnNames()).containsExactly("order_id", "n", "sku", "qty"); // generated left out
            assertThat(lines.column("qty").map(Column::declaredType)).contains("decimal(9,3)");
            assertThat(lines.column("qty").map(Column::nullable)).contains(false);
            assertThat(lines.foreignKeys())
                    .extracting(ForeignKey::parentTable)
                    .containsExactlyInAnyOrder("orders", "products");
            assertThat(tables.get(4).primaryKey()).containsExactly("b", "a");
            assertThat(tables.get(0).column("k").map(Column::jdbcType)).contains(java.sql.Types.BINARY);

            ApplyPlan plan = ApplyPlan.of(tables);
            assertThat(plan.cycles()).containsExactly(List.of("customers", "orders"));
            assertThat(plan.selfReferencing()).containsExactlyInAnyOrder("customers", "other");
            List<String> order = plan.upsertOrder();
            assertThat(order.indexOf("orders")).isLessThan(order.indexOf("line items"));
            assertThat(order.indexOf("products")).isLessThan(order.indexOf("line items"));
            assertThat(plan.deleteOrder().indexOf("line items"))
                    .isLessThan(plan.deleteOrder().indexOf("orders"));
        }
    }

    /**
     * A reference cycle and a self-reference made on one MariaDB replica reach another through a SQLite
     * hub: InnoDB checks foreign keys row by row and cannot defer them, so the rows must be applied in an
     * order that works (or queued until their parents arrive), whatever order the feed holds them in.
     */
    @Test
    void cyclesAndSelfReferencesReachAnotherReplica() {
        String a = MariaDb.freshDatabase();
        String b = MariaDb.freshDatabase();
        exec(a, SCHEMA);
        exec(b, SCHEMA);
        Path hubFile = dir.resolve("hub.db");
        try (ShuttleDatabase dbA = ShuttleDatabase.open(a);
                ShuttleDatabase dbB = ShuttleDatabase.open(b)) {
            for (Table t : read(dbA)) {
                SqliteFiles.exec(hubFile, TypeMapping.sqliteCreateTable(t, Identifiers::doubleQuote));
            }
            try (ShuttleDatabase hubDb = ShuttleDatabase.sqlite(hubFile)) {
                Capture.enable(dbA, CaptureOptions.allTables(), ProgressListener.NONE);
                Capture.enable(dbB, CaptureOptions.allTables(), ProgressListener.NONE);
                Capture.enable(hubDb, CaptureOptions.allTables(), ProgressListener.NONE);
                SyncEngine hub = SyncEngine.open(hubDb);
                SyncEngine engineA = SyncEngine.open(dbA);
                SyncEngine engineB = SyncEngine.open(dbB);
                InProcessTransport toHub = new InProcessTransport(hub);
                exec(
                        a,
                        "INSERT INTO customers (id, name) VALUES (2, 'second')",
                        "INSERT INTO customers (id, name, referred_by) VALUES (1, 'first', 2)",
                        "UPDATE customers SET referred_by = 1 WHERE id = 2",
                        "INSERT INTO orders VALUES (10, 1)",
                        "UPDATE customers SET last_order = 10 WHERE id = 1",
                        "INSERT INTO products VALUES ('p1', x'0102')",
                        "INSERT INTO `line items` (order_id, n, sku, qty) VALUES (10, 1, 'p1', 2.5)");
                engineA.pullThenPush(toHub);
                engineB.pullThenPush(toHub);
                engineB.pullThenPush(toHub);
                String rows =
                        "SELECT (SELECT group_concat(concat_ws(':', id, name, referred_by, last_order) ORDER BY id)"
                                + " FROM customers) c, (SELECT group_concat(concat_ws(':', id, customer_id)) FROM orders) o,"
                                + " (SELECT group_concat(concat_ws(':', order_id, n, sku, qty, total)) FROM `line items`) l";
                assertThat(query(b, rows)).isEqualTo(query(a, rows));
                assertThat(query(b, rows).get(0).get("c")).isEqualTo("1:first:2:10,2:second:1");
            }
        }
    }
}
