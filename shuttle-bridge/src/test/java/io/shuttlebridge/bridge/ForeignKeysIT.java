package io.shuttlebridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.bridge.definition.PipelineDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Foreign keys enforced by the target: parent-first writes within a chunk, children-first deletes across
 * entities. On SQLite, on PostgreSQL with foreign keys checked at once (its default) and with DEFERRABLE ones.
 */
@ParameterizedClass(name = "{0}{1}")
@MethodSource("targets")
class ForeignKeysIT {
    static final String TREE = """
            entities:
              - name: categories
                table: category
                source: {type: csv, path: categories.csv, deleted: gone}
                fields: {id: integer, parent: integer, name: string, gone: boolean}
                mappings:
                  - {target: id, source: id}
                  - {target: parent_id, source: parent}
                  - {target: name, source: name}
                keys: [id]
                batch_size: 10
            """;

    static final String SHOP = """
            entities:
              - name: customers
                table: customer
                source: {type: csv, path: customers.csv}
                fields: {num: string, name: string}
                mappings: [{target: customer_no, source: num}, {target: name, source: name}]
                keys: [customer_no]
              - name: orders
                table: orders
                source: {type: csv, path: orders.csv}
                fields: {id: integer, customer: string}
                mappings: [{target: order_id, source: id}, {target: customer_no, source: customer}]
                keys: [order_id]
            """;

    static List<Arguments> targets() {
        return List.of(
                Arguments.of(TestDb.Kind.SQLITE, ""),
                Arguments.of(TestDb.Kind.POSTGRES, ""),
                Arguments.of(TestDb.Kind.POSTGRES, " DEFERRABLE"),
                Arguments.of(TestDb.Kind.MARIADB, ""));
    }

    @Parameter(0)
    TestDb.Kind kind;

    /** How the foreign keys are declared, after their REFERENCES clause. */
    @Parameter(1)
    String deferrable;

    @TempDir
    Path dir;

    TestDb db;

    @BeforeEach
    void setUp() {
        db = kind.create(dir, "target.db");
        db.exec(
                "CREATE TABLE category (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES category(id)" + deferrable
                        + ", name TEXT)",
                "CREATE TABLE customer (customer_no TEXT PRIMARY KEY, name TEXT)",
                "CREATE TABLE orders (order_id INTEGER PRIMARY KEY, customer_no TEXT NOT NULL REFERENCES customer(customer_no)"
                        + deferrable + ")");
        for (String t : List.of("category:id", "customer:customer_no", "orders:order_id")) {
            db.logWrites(t.split(":")[0], t.split(":")[1]);
        }
    }

    /** Whether the target can check the foreign keys at commit. */
    boolean deferred() {
        return kind == TestDb.Kind.SQLITE || !deferrable.isEmpty();
    }

    BridgeService bridge(String yaml) {
        // foreign keys on, as an application enforcing them would have them
        return BridgeService.builder()
                .target(db.targetEnforcingForeignKeys())
                .definition(PipelineDefinition.parse(yaml, Map.of(), dir))
                .build();
    }

    List<String> log() {
        return db.rows("SELECT entry FROM write_log ORDER BY seq").stream()
                .map(r -> (String) r.get("entry"))
                .toList();
    }

    void write(String file, String text) throws IOException {
        Files.writeString(dir.resolve(file), text);
    }

    @Test
    void selfReferencingRowsInOneChunkAreInsertedParentFirstAndDeletedChildFirst() throws IOException {
        write(
                "categories.csv",
                "id,parent,name,gone\n4,3,Apples,false\n3,2,Fruit,false\n2,1,Food,false\n1,,All,false\n");
        try (BridgeService b = bridge(TREE)) {
            BatchReport first = b.run("categories");
            assertThat(first.outcome()).as(first.error()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(first.counts().inserted()).isEqualTo(4);
            assertThat(first.counts().pending()).isZero();
            assertThat(log()).containsExactly("+category:1", "+category:2", "+category:3", "+category:4");

            db.exec("DELETE FROM write_log");
            write(
                    "categories.csv",
                    "id,parent,name,gone\n1,,All,true\n2,1,Food,true\n3,2,Fruit,true\n4,3,Apples,true\n");
            BatchReport second = b.run("categories");
            assertThat(second.outcome()).as(second.error()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(second.counts().deleted()).isEqualTo(4);
            assertThat(log()).containsExactly("-category:4", "-category:3", "-category:2", "-category:1");
        }
        assertThat(db.count("SELECT COUNT(*) FROM category")).isZero();
    }

    @Test
    void reconciliationDeletesChildrenBeforeParentsAcrossEntities() throws IOException {
        write("customers.csv", "num,name\nC1,Anna\nC2,Bernd\n");
        write("orders.csv", "id,customer\n1,C1\n2,C2\n3,C2\n");
        try (BridgeService b = bridge(SHOP)) {
            assertThat(b.runAll()).extracting(BatchReport::outcome).containsOnly(BatchOutcome.SUCCEEDED);
            db.exec("DELETE FROM write_log");

            write("customers.csv", "num,name\nC1,Anna\n");
            write("orders.csv", "id,customer\n1,C1\n");
            List<BatchReport> reports = b.runAll();
            assertThat(reports).extracting(BatchReport::outcome).containsOnly(BatchOutcome.SUCCEEDED);
            assertThat(reports).extracting(r -> r.counts().deleted()).containsExactly(1L, 2L);
            assertThat(log()).containsExactly("-orders:2", "-orders:3", "-customer:C2");
        }
    }

    @Test
    void aParentStillReferencedWaitsForALaterPass() throws IOException {
        write("customers.csv", "num,name\nC1,Anna\n");
        write("orders.csv", "id,customer\n1,C1\n");
        try (BridgeService b = bridge(SHOP)) {
            b.runAll();
            write("customers.csv", "num,name\n");
            BatchReport parents = b.run("customers");
            assertThat(parents.outcome()).as(parents.error()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(parents.counts().deleted())
                    .as("order 1 still references C1")
                    .isZero();
            assertThat(b.status("customers").stateRows()).isEqualTo(1);

            write("orders.csv", "id,customer\n");
            assertThat(b.run("orders").counts().deleted()).isEqualTo(1);
            assertThat(b.run("customers").counts().deleted()).isEqualTo(1);
        }
        assertThat(db.count("SELECT COUNT(*) FROM customer")).isZero();
    }

    @Test
    void newRowsReferencingEachOtherAreWrittenWhenTheKeyCanBeDeferredAndWaitOtherwise() throws IOException {
        // 1 and 2 are each other's parent; 3 is a child of 1
        write("categories.csv", "id,parent,name,gone\n1,2,One,false\n2,1,Two,false\n3,1,Three,false\n");
        try (BridgeService b = bridge(TREE)) {
            BatchReport r = b.run("categories");
            assertThat(r.outcome()).as(r.error()).isEqualTo(BatchOutcome.SUCCEEDED);
            if (deferred()) {
                assertThat(r.counts().inserted()).isEqualTo(3);
                assertThat(db.count("SELECT COUNT(*) FROM category")).isEqualTo(3);
            } else {
                assertThat(r.counts().inserted()).isZero();
                assertThat(r.counts().pending()).isEqualTo(3);
                assertThat(db.count("SELECT COUNT(*) FROM category"))
                        .as("nothing half-written")
                        .isZero();
                assertThat(b.pendingChildren("categories", 10))
                        .extracting(PendingChild::reason)
                        .filteredOn(reason -> reason.contains("declare it DEFERRABLE"))
                        .hasSize(2);
            }
        }
    }
}
