package io.shuttlebridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.bridge.definition.PipelineDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Loads and runs the exact example of {@code docs/bridge.md} ({@code docs/examples/}), into SQLite and into
 * PostgreSQL, and checks that the page shows those files verbatim, so the documentation cannot drift from
 * what works.
 */
class DocsExampleIT {
    static final Path EXAMPLES = Path.of("..", "docs", "examples");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void theDocumentedExampleRunsAsDescribed(TestDb.Kind kind) throws IOException {
        TestDb db = kind.create(dir, "shop.db");
        db.exec(statements(Files.readString(EXAMPLES.resolve("schema.sql"))));
        try (BridgeService bridge = BridgeService.builder()
                .target(db.target())
                .definition(PipelineDefinition.load(EXAMPLES.resolve("bridge.yaml")))
                .build()) {
            List<BatchReport> first = bridge.runAll();
            assertThat(first).extracting(BatchReport::outcome).containsOnly(BatchOutcome.SUCCEEDED);
            assertThat(first.get(0).counts())
                    .extracting(BatchCounts::fetched, BatchCounts::inserted, BatchCounts::deadLettered)
                    .containsExactly(4L, 3L, 1L);
            assertThat(first.get(1).counts())
                    .extracting(BatchCounts::fetched, BatchCounts::inserted, BatchCounts::pending)
                    .containsExactly(3L, 2L, 1L);
            assertThat(db.rows("SELECT * FROM customer WHERE customer_no = 'C0001'")
                            .get(0))
                    .containsEntry("name", "Anna Schmidt")
                    .containsEntry("balance", "1234.56")
                    .containsEntry("customer_since", "2020-02-01")
                    .containsEntry("status", "active")
                    .containsEntry("country", "DE")
                    .containsEntry("erp_changed_at", "2024-05-03T10:15");
            assertThat(db.rows("SELECT total FROM customer_order WHERE order_no = 1002")
                            .get(0))
                    .containsEntry("total", "1250.00");
            assertThat(bridge.deadLetters("customers", DeadLetter.Status.OPEN, 10))
                    .singleElement()
                    .satisfies(l -> assertThat(l.error()).isEqualTo("'C04' does not match"));
            assertThat(bridge.pendingChildren("orders", 10))
                    .singleElement()
                    .satisfies(p -> assertThat(p.reason()).isEqualTo("parent customer(customer_no=C0009) not found"));

            List<BatchReport> again = bridge.runAll();
            assertThat(again).extracting(r -> r.counts().unchanged()).containsExactly(3L, 2L);
            assertThat(again).extracting(r -> r.counts().written()).containsOnly(0L);
        }
    }

    @Test
    void thePageShowsTheExampleFilesVerbatim() throws IOException {
        String page = Files.readString(EXAMPLES.resolveSibling("bridge.md"));
        for (String file : List.of("bridge.yaml", "schema.sql", "customers.csv", "orders.csv")) {
            assertThat(page)
                    .as("docs/bridge.md shows docs/examples/" + file)
                    .contains(Files.readString(EXAMPLES.resolve(file)));
        }
    }

    /** The statements of a SQL script, comment lines left out. */
    static String[] statements(String sql) {
        String withoutComments = String.join(
                "\n", sql.lines().filter(l -> !l.strip().startsWith("--")).toList());
        return Arrays.stream(withoutComments.split(";"))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toArray(String[]::new);
    }
}
