package io.shuttlebridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.bridge.definition.PipelineDefinition;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Customers and their orders from a fake ERP over HTTP, into a SQLite or PostgreSQL target with a foreign key. */
@ParameterizedClass
@EnumSource(TestDb.Kind.class)
class ErpPipelineIT {
    static final String YAML = """
            defaults: {batch_size: 3, max_attempts: 3, backoff: 1m}
            entities:
              - name: customers
                table: customer
                source: {type: http, url: "%s", token: "${ERP_TOKEN}", rowversion: rv, deleted: deleted,
                         pagination: {type: page, size: 4}}
                fields: {num: string, name: string, rv: integer, deleted: boolean}
                rules:
                  - {field: name, required: true, max_length: %d}
                mappings:
                  - {target: customer_no, source: num}
                  - {target: name, source: name}
                keys: [customer_no]
              - name: orders
                table: orders
                source: {type: http, url: "%s", token: "${ERP_TOKEN}", rowversion: rv, pagination: {type: page, size: 4}}
                fields: {id: integer, customer: string, total: decimal, rv: integer}
                mappings:
                  - {target: order_id, source: id}
                  - {target: customer_no, source: customer}
                  - {target: total, source: total}
                keys: [order_id]
            """;

    @Parameter
    TestDb.Kind kind;

    @TempDir
    Path dir;

    FakeErp erp;
    TestDb db;
    final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2025-03-01T10:00:00Z"));
    final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        erp = new FakeErp();
        db = kind.create(dir, "target.db");
        db.exec(
                "CREATE TABLE customer (customer_no TEXT PRIMARY KEY, name TEXT)",
                "CREATE TABLE orders (order_id INTEGER PRIMARY KEY, customer_no TEXT REFERENCES customer(customer_no), total TEXT)");
        db.countWrites("customer");
        db.countWrites("orders");
    }

    @AfterEach
    void tearDown() {
        erp.close();
    }

    BridgeService bridge(int maxNameLength, WriteObserver observer) {
        Clock clock = new Clock() {
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            public Clock withZone(ZoneId z) {
                return this;
            }

            public Instant instant() {
                return now.get();
            }
        };
        String yaml = YAML.formatted(erp.url("customers"), maxNameLength, erp.url("orders"));
        return BridgeService.builder()
                .target(db.target())
                .clock(clock)
                .retrySleeper(sleeps::add)
                .writeObserver(observer)
                .definition(PipelineDefinition.parse(yaml, Map.of("ERP_TOKEN", FakeErp.TOKEN), dir))
                .build();
    }

    void customers(int from, int to) {
        for (int i = from; i <= to; i++) {
            erp.put("customers", "C" + i, Map.of("num", "C" + i, "name", "Customer " + i));
        }
    }

    @Test
    void pagedLoadWith429RetryThenIncrementalUpdatesAndTombstones() {
        customers(1, 10);
        erp.throttle.set(2);
        try (BridgeService b = bridge(40, WriteObserver.NONE)) {
            BatchReport first = b.run("customers");
            assertThat(first.outcome()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(first.counts().inserted()).isEqualTo(10);
            assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(1));
            erp.put("customers", "C2", Map.of("num", "C2", "name", "Renamed"));
            erp.delete("customers", "C3");
            customers(11, 11);
            BatchReport second = b.run("customers");
            assertThat(second.fullPass()).isFalse();
            assertThat(second.counts().fetched())
                    .as("only rows after the high-water mark")
                    .isEqualTo(3);
            assertThat(second.counts())
                    .extracting(BatchCounts::inserted, BatchCounts::updated, BatchCounts::deleted)
                    .containsExactly(1L, 1L, 1L);
            assertThat(db.count("SELECT COUNT(*) FROM customer")).isEqualTo(10);
            assertThat(b.run("customers").counts().fetched()).isZero();
        }
    }

    @Test
    void childrenBeforeParentsWaitThenResolveOrDeadLetter() {
        erp.put("orders", "1", Map.of("id", 1, "customer", "C1", "total", 10.5));
        erp.put("orders", "2", Map.of("id", 2, "customer", "C99", "total", 1));
        try (BridgeService b = bridge(40, WriteObserver.NONE)) {
            BatchReport orders = b.run("orders");
            assertThat(orders.counts().pending()).isEqualTo(2);
            assertThat(b.pendingChildren("orders", 10))
                    .extracting(PendingChild::parentTable)
                    .containsOnly("customer");
            customers(1, 1);
            BatchReport parents = b.run("customers");
            assertThat(parents.counts().resolved())
                    .as("order 1 resolved as soon as its parent arrived")
                    .isEqualTo(1);
            assertThat(db.rows("SELECT total FROM orders WHERE order_id = 1").get(0))
                    .containsEntry("total", "10.5");
            assertThat(b.run("orders").counts().retried())
                    .as("not due yet: backoff")
                    .isZero();
            now.set(now.get().plus(Duration.ofMinutes(2)));
            assertThat(b.run("orders").counts().retried()).isEqualTo(1);
            now.set(now.get().plus(Duration.ofMinutes(5)));
            BatchReport last = b.run("orders");
            assertThat(last.counts().deadLettered()).isEqualTo(1);
            assertThat(b.pendingChildren(null, 10)).isEmpty();
            DeadLetter letter =
                    b.deadLetters("orders", DeadLetter.Status.OPEN, 10).get(0);
            assertThat(letter.stage()).isEqualTo("RESOLVE");
            assertThat(letter.error()).contains("parent customer(customer_no=C99) not found after 3 attempts");
        }
    }

    @Test
    void invalidRecordsAreDeadLetteredThenRetriedAfterAConfigFix() {
        erp.put("customers", "C1", Map.of("num", "C1", "name", "A very long customer name"));
        customers(2, 2);
        long id;
        try (BridgeService b = bridge(10, WriteObserver.NONE)) {
            BatchReport r = b.run("customers");
            assertThat(r.counts().invalid()).isEqualTo(1);
            DeadLetter letter = b.deadLetters("customers", null, 10).get(0);
            assertThat(letter.rule()).startsWith("length(name <= 10) at entities[0].rules[0]");
            assertThat(letter.raw()).contains("A very long customer name");
            id = letter.id();
            assertThat(b.retryDeadLetters(List.of(id)).failed()).containsExactly(id);
        }
        try (BridgeService fixed = bridge(80, WriteObserver.NONE)) {
            assertThat(fixed.retryDeadLetters(List.of(id)).resolved()).containsExactly(id);
            assertThat(fixed.deadLetter(id).orElseThrow().status()).isEqualTo(DeadLetter.Status.RESOLVED);
            assertThat(db.count("SELECT COUNT(*) FROM customer")).isEqualTo(2);
        }
    }

    @Test
    void runKilledMidBatchResumesWithoutDuplicatesOrGaps() {
        customers(1, 10);
        AtomicInteger writes = new AtomicInteger();
        try (BridgeService b = bridge(40, (entity, op) -> {
            if (writes.incrementAndGet() == 5) {
                throw new IllegalStateException("injected crash after 4 rows");
            }
        })) {
            BatchReport failed = b.run("customers");
            assertThat(failed.outcome()).isEqualTo(BatchOutcome.FAILED);
            assertThat(failed.error()).contains("injected crash");
            assertThat(db.count("SELECT COUNT(*) FROM customer")).isEqualTo(3);
            BatchReport resumed = b.run("customers");
            assertThat(resumed.outcome()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(resumed.counts().inserted()).isEqualTo(7);
        }
        assertThat(db.count("SELECT COUNT(*) FROM customer")).isEqualTo(10);
        assertThat(db.writes("customer")).as("every row written exactly once").isEqualTo(10);
    }
}
