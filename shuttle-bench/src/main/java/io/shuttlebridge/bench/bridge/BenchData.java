package io.shuttlebridge.bench.bridge;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;

/**
 * Generates the benchmark's source CSV: {@code rows} items (id, sku, name, category, price, qty,
 * updated, status), deterministic for a seed, in id order or shuffled. The changed file differs in
 * about 1% of rows: 0.6% updated, 0.2% deleted, 0.2% new.
 */
final class BenchData {
    static final int CATEGORIES = 100;

    private BenchData() {}

    static void write(Path file, long rows, boolean changed, boolean shuffled, long seed) throws IOException {
        long extra = changed ? rows / 500 : 0;
        int total = Math.toIntExact(rows + extra);
        int[] order = new int[total];
        for (int i = 0; i < total; i++) {
            order[i] = i + 1;
        }
        if (shuffled) {
            SplittableRandom random = new SplittableRandom(seed + (changed ? 1 : 0));
            for (int i = total - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        try (BufferedWriter w = Files.newBufferedWriter(
                file,
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            w.write("id,sku,name,category,price,qty,updated,status\n");
            StringBuilder line = new StringBuilder(128);
            for (int id : order) {
                int bucket = id % 1000;
                if (changed && id <= rows && bucket < 2) {
                    continue;
                }
                boolean update = changed && id <= rows && bucket >= 2 && bucket < 8;
                line.setLength(0);
                appendRow(line, id, update);
                w.append(line);
            }
        }
    }

    private static void appendRow(StringBuilder line, long id, boolean update) {
        long cents = (id * 7919) % 1_000_000 + (update ? 1 : 0);
        line.append(id)
                .append(",SKU-")
                .append(id)
                .append(",Item number ")
                .append(id)
                .append(',')
                .append(id % CATEGORIES + 1)
                .append(',')
                .append(cents / 100)
                .append('.');
        two(line, cents % 100).append(',').append(id % 50).append(",2024-");
        two(line, id % 12 + 1).append('-');
        two(line, id % 28 + 1).append(',').append(id % 3 == 0 ? "A" : "I").append('\n');
    }

    private static StringBuilder two(StringBuilder s, long v) {
        return s.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
