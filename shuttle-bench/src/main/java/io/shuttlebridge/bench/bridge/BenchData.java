package io.shuttlebridge.bench.bridge;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Generates the benchmark's source CSV: {@code rows} items (id, sku, name, category, price, qty,
 * updated, status), deterministic for a seed. The changed file differs in about 1% of rows:
 * 0.6% updated, 0.2% deleted, 0.2% new.
 */
final class BenchData {
    static final int CATEGORIES = 100;

    private BenchData() {}

    static void write(Path file, long rows, boolean changed, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id,sku,name,category,price,qty,updated,status\n");
            StringBuilder line = new StringBuilder(128);
            for (long id = 1; id <= rows; id++) {
                int bucket = (int) (id % 1000);
                if (changed && bucket < 2) {
                    continue;
                }
                boolean update = changed && bucket >= 2 && bucket < 8;
                line.setLength(0);
                appendRow(line, id, random.nextInt(1_000_000), update);
                w.append(line);
            }
            if (changed) {
                long extra = rows / 500;
                for (long id = rows + 1; id <= rows + extra; id++) {
                    line.setLength(0);
                    appendRow(line, id, random.nextInt(1_000_000), false);
                    w.append(line);
                }
            }
        }
    }

    private static void appendRow(StringBuilder line, long id, int r, boolean update) {
        long cents = (id * 7919) % 1_000_000 + (update ? 1 : 0);
        line.append(id).append(",SKU-").append(id).append(",Item number ").append(id).append(',')
                .append(id % CATEGORIES + 1).append(',').append(cents / 100).append('.')
                .append(String.format("%02d", cents % 100)).append(',').append(id % 50).append(',')
                .append("2024-").append(String.format("%02d", id % 12 + 1)).append('-').append(String.format("%02d", id % 28 + 1))
                .append(',').append(id % 3 == 0 ? "A" : "I").append('\n');
    }
}
