package io.shuttlebridge.core.fuzz;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/**
 * A bounded, seeded fuzz loop for plain JUnit: inputs made by mutating valid ones ({@link
 * Mutations}), each handed to a property that throws when the code under test misbehaves. It stops
 * after {@code fuzz.inputs} inputs (default 20,000) or {@code fuzz.seconds} seconds (default 3),
 * whichever comes first; the seed is printed, and {@code -Dfuzz.seed=N} makes the same mutations
 * again (of the same valid inputs, when they do not depend on the time or on fresh keys). A failing
 * input is written under {@code target/fuzz/} and named in the failure; {@code
 * -Dfuzz.replay=FILE} checks that one input alone.
 */
public final class SeededFuzz {
    /** How long one input may take before it counts as a hang. */
    private static final Duration SLOW = Duration.ofSeconds(2);

    private SeededFuzz() {}

    /** The run's bounds, from system properties. */
    public record Settings(long seed, int inputs, Duration budget) {
        public static Settings fromSystemProperties() {
            String seed = System.getProperty("fuzz.seed");
            return new Settings(
                    seed == null || seed.isBlank() ? new Random().nextLong() : Long.parseLong(seed.trim()),
                    Integer.getInteger("fuzz.inputs", 20_000),
                    Duration.ofSeconds(Long.getLong("fuzz.seconds", 3)));
        }
    }

    /** Makes the next input from the random source. */
    @FunctionalInterface
    public interface Generator {
        byte[] next(Random random);
    }

    /** Checks one input; throws {@link AssertionError} (or anything) when the code under test misbehaves. */
    @FunctionalInterface
    public interface Property {
        void check(byte[] input) throws Exception;
    }

    /** What a run did. */
    public record Summary(String name, long seed, int inputs, long millis, Duration slowest) {}

    public static Summary run(String name, Settings settings, Generator generator, Property property) {
        String replay = System.getProperty("fuzz.replay");
        if (replay != null && !replay.isBlank()) {
            return replay(name, Path.of(replay.trim()), property);
        }
        Random random = new Random(settings.seed());
        long started = System.nanoTime();
        long deadline = started + settings.budget().toNanos();
        long slowest = 0;
        int n = 0;
        System.out.printf(
                "fuzz %s: seed %d (replay: -Dfuzz.seed=%d), at most %d inputs or %d s%n",
                name,
                settings.seed(),
                settings.seed(),
                settings.inputs(),
                settings.budget().toSeconds());
        while (n < settings.inputs() && System.nanoTime() < deadline) {
            byte[] input = generator.next(random);
            long t0 = System.nanoTime();
            try {
                property.check(input);
            } catch (Throwable t) {
                fail(report(name, settings.seed(), n, input, t.toString()), t);
            }
            long took = System.nanoTime() - t0;
            if (took > SLOW.toNanos()) {
                fail(report(name, settings.seed(), n, input, "took " + took / 1_000_000 + " ms"));
            }
            slowest = Math.max(slowest, took);
            n++;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf(
                "fuzz %s: seed %d, %d inputs in %d ms, slowest %.1f ms%n",
                name, settings.seed(), n, millis, slowest / 1e6);
        return new Summary(name, settings.seed(), n, millis, Duration.ofNanos(slowest));
    }

    private static Summary replay(String name, Path file, Property property) {
        byte[] input;
        try {
            input = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read -Dfuzz.replay=" + file + ": " + e.getMessage(), e);
        }
        System.out.printf("fuzz %s: replaying %s (%d bytes)%n", name, file, input.length);
        try {
            property.check(input);
        } catch (Throwable t) {
            fail("fuzz " + name + ": " + file + ": " + t, t);
        }
        return new Summary(name, 0, 1, 0, Duration.ZERO);
    }

    private static String report(String name, long seed, int index, byte[] input, String what) {
        Path file = Path.of("target", "fuzz", name + "-" + seed + "-" + index + ".bin");
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, input);
        } catch (IOException e) {
            file = null;
        }
        String text = new String(input, StandardCharsets.UTF_8);
        return "fuzz " + name + ": input " + index + " of seed " + seed + " (replay: -Dfuzz.seed=" + seed + ")"
                + (file == null ? "" : ", written to " + file.toAbsolutePath()) + ": " + what + "\ninput: "
                + (text.length() > 2000 ? text.substring(0, 2000) + "..." : text);
    }

    /** One of the seeds, mutated. */
    public static Generator mutating(List<byte[]> seeds) {
        return random -> Mutations.mutate(random, seeds.get(random.nextInt(seeds.size())), seeds);
    }
}
