package io.shuttlebridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.bridge.definition.PipelineDefinition;
import io.shuttlebridge.core.ShuttleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The target refuses a chunk for a moment (another writer won the race, a deadlock, a lost connection):
 * the chunk is rolled back and tried again, and the batch succeeds with every row written once; a failure
 * that would only repeat still fails the batch at once.
 */
@ParameterizedClass
@EnumSource(TestDb.Kind.class)
class TransientFailureIT {
    static final String YAML = """
            entities:
              - name: items
                table: item
                source: {type: csv, path: items.csv}
                fields: {id: integer, qty: integer}
                mappings: [{target: id, source: id}, {target: qty, source: qty}]
                keys: [id]
                batch_size: 2
            """;

    @Parameter
    TestDb.Kind kind;

    @TempDir
    Path dir;

    @Test
    void aChunkRefusedForAMomentIsTriedAgain() throws IOException {
        TestDb db = target();
        AtomicInteger writes = new AtomicInteger();
        WriteObserver racing = (entity, op) -> {
            if (writes.incrementAndGet() == 3) { // the first row of the second chunk, once
                throw ShuttleException.database(
                        "writing items", new SQLException("could not serialize access (injected)", "40001"));
            }
        };
        try (BridgeService b = service(db, racing)) {
            BatchReport report = b.run("items");
            assertThat(report.outcome()).as(report.error()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(report.counts().inserted()).isEqualTo(5);
        }
        assertThat(writes.get())
                .as("the refused chunk's rows were written again")
                .isEqualTo(6);
        assertThat(db.count("SELECT COUNT(*) FROM item")).isEqualTo(5);
        assertThat(db.writes("item")).as("every row written exactly once").isEqualTo(5);
    }

    @Test
    void aFailureThatWouldRepeatFailsTheBatch() throws IOException {
        TestDb db = target();
        AtomicInteger writes = new AtomicInteger();
        WriteObserver refusing = (entity, op) -> {
            if (writes.incrementAndGet() == 3) {
                throw ShuttleException.database(
                        "writing items", new SQLException("value too long (injected)", "22001"));
            }
        };
        try (BridgeService b = service(db, refusing)) {
            BatchReport report = b.run("items");
            assertThat(report.outcome()).isEqualTo(BatchOutcome.FAILED);
            assertThat(report.counts().inserted()).as("the first chunk").isEqualTo(2);
        }
        assertThat(writes.get()).isEqualTo(3);
    }

    @Test
    void aWriterThatCommitsWhileAChunkReadsDoesNotFailTheBatch() throws Exception {
        TestDb db = target();
        if (kind == TestDb.Kind.SQLITE) {
            db.exec("PRAGMA journal_mode = WAL"); // as a hub's database is: readers and one writer at a time
        }
        db.exec("CREATE TABLE other (id INTEGER PRIMARY KEY)");
        AtomicInteger writes = new AtomicInteger();
        WriteObserver hubFolds = (entity, op) -> {
            if (writes.incrementAndGet() == 3) { // as a hub folding captured writes does, on a connection of its own
                try (Connection other = DriverManager.getConnection(
                                db.target().startsWith("jdbc:") ? db.target() : "jdbc:sqlite:" + db.target());
                        Statement s = other.createStatement()) {
                    s.execute("INSERT INTO other VALUES (1)");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        try (BridgeService b = service(db, hubFolds)) {
            BatchReport report = b.run("items");
            assertThat(report.outcome()).as(report.error()).isEqualTo(BatchOutcome.SUCCEEDED);
            assertThat(report.counts().inserted()).isEqualTo(5);
        }
        assertThat(db.count("SELECT COUNT(*) FROM item")).isEqualTo(5);
        assertThat(db.count("SELECT COUNT(*) FROM other")).isEqualTo(1);
    }

    @Test
    void aDeadLetterRetryThatLosesToAWriterIsTriedAgain() throws Exception {
        TestDb db = target();
        if (kind == TestDb.Kind.SQLITE) {
            db.exec("PRAGMA journal_mode = WAL");
        }
        db.exec("CREATE TABLE other (id INTEGER PRIMARY KEY)");
        Files.writeString(dir.resolve("items.csv"), "id,qty\n1,1\n2,lots\n");
        AtomicInteger raced = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        // the retry reads its letter, then asks the time before it writes: another connection commits right then,
        // as the hub's own does when it folds captured writes (on SQLite the retry's read snapshot is then stale)
        java.time.Clock racing = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                if (armed.getAndSet(false)) {
                    try (Connection other = DriverManager.getConnection(
                                    db.target().startsWith("jdbc:") ? db.target() : "jdbc:sqlite:" + db.target());
                            Statement s = other.createStatement()) {
                        s.execute("INSERT INTO other VALUES (" + raced.incrementAndGet() + ")");
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                }
                return java.time.Instant.now();
            }
        };
        try (BridgeService b = BridgeService.builder()
                .target(db.target())
                .definition(PipelineDefinition.parse(YAML, Map.of(), dir))
                .clock(racing)
                .retrySleeper(d -> {})
                .build()) {
            assertThat(b.run("items").counts().inserted()).isEqualTo(1);
            long letter =
                    b.deadLetters("items", DeadLetter.Status.OPEN, 10).get(0).id();
            armed.set(true);
            RetryResult r = b.retryDeadLetters(java.util.List.of(letter));
            assertThat(r.failed())
                    .as("the row is still bad: retried, and dead again")
                    .containsExactly(letter);
            assertThat(raced.get()).isEqualTo(1);
            armed.set(true);
            assertThat(b.discardDeadLetters(java.util.List.of(letter))).containsExactly(letter);
        }
        assertThat(db.count("SELECT COUNT(*) FROM other")).isEqualTo(raced.get());
    }

    private TestDb target() throws IOException {
        TestDb db = kind.create(dir, "target.db");
        db.exec("CREATE TABLE item (id INTEGER PRIMARY KEY, qty INTEGER)");
        db.countWrites("item");
        Files.writeString(dir.resolve("items.csv"), "id,qty\n1,1\n2,2\n3,3\n4,4\n5,5\n");
        return db;
    }

    private BridgeService service(TestDb db, WriteObserver observer) {
        return BridgeService.builder()
                .target(db.target())
                .definition(PipelineDefinition.parse(YAML, Map.of(), dir))
                .writeObserver(observer)
                .retrySleeper(d -> {})
                .build();
    }
}
