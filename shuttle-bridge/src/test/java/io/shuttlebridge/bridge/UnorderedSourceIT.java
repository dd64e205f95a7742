package io.shuttlebridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.bridge.definition.PipelineDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Stored identities are clustered by key; a source in random key order makes the delta stage fall back
 * from range scans to lookups by key. The classification must be exactly the same either way.
 */
@ParameterizedClass
@EnumSource(TestDb.Kind.class)
class UnorderedSourceIT {
    static final String YAML = """
            entities:
              - name: items
                table: item
                source: {type: csv, path: items.csv}
                fields: {code: string, n: integer, price: decimal}
                mappings: [{target: code, source: code}, {target: n, source: n}, {target: price, source: price}]
                keys: [code, n]
                batch_size: 50
            """;

    @Parameter
    TestDb.Kind kind;

    @TempDir
    Path dir;

    @Test
    void randomOrderGivesTheSameDeltasAsKeyOrder() throws IOException {
        long seed = System.nanoTime();
        System.out.println("UnorderedSourceIT.randomOrderGivesTheSameDeltasAsKeyOrder seed=" + seed);
        Random random = new Random(seed);
        TestDb db = kind.create(dir, "target.db");
        db.exec("CREATE TABLE item (code TEXT NOT NULL, n INTEGER NOT NULL, price TEXT, PRIMARY KEY (code, n))");
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            rows.add(row(i, "1.00"));
        }
        write(rows, random, true);
        try (BridgeService b = BridgeService.builder()
                .target(db.target())
                .definition(PipelineDefinition.parse(YAML, Map.of(), dir))
                .build()) {
            assertThat(b.run("items").counts().inserted()).isEqualTo(2000);

            List<String> changed = new ArrayList<>(rows);
            for (int i = 0; i < 30; i++) {
                changed.set(i * 60, row(i * 60, "2.00")); // 30 updates
            }
            for (int i = 0; i < 10; i++) {
                changed.remove(changed.size() - 1 - i * 37); // 10 deletes
            }
            for (int i = 2000; i < 2010; i++) {
                changed.add(row(i, "1.00")); // 10 inserts
            }
            write(changed, random, true);
            BatchReport second = b.run("items");
            assertThat(second.counts())
                    .extracting(
                            BatchCounts::inserted, BatchCounts::updated, BatchCounts::unchanged, BatchCounts::deleted)
                    .containsExactly(10L, 30L, 1960L, 10L);

            write(changed, random, false); // key order this time
            BatchReport third = b.run("items");
            assertThat(third.counts().unchanged()).isEqualTo(2000);
            assertThat(third.counts().written()).isZero();
        }
        assertThat(db.count("SELECT COUNT(*) FROM item")).isEqualTo(2000);
        assertThat(db.count("SELECT COUNT(*) FROM item WHERE price = '2.00'")).isEqualTo(30);
    }

    private static String row(int i, String price) {
        // composite key: text part shared by many rows, then a number
        return "K" + (i % 7) + "," + i + "," + price;
    }

    private void write(List<String> rows, Random random, boolean shuffle) throws IOException {
        List<String> out = new ArrayList<>(rows);
        if (shuffle) {
            Collections.shuffle(out, random);
        }
        Files.writeString(dir.resolve("items.csv"), "code,n,price\n" + String.join("\n", out) + "\n");
    }
}
