package io.shuttlebridge.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ProgressListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A simulation is replayable: run twice with one seed, every fault on, it writes the same hub and
 * device files byte for byte (the engine's {@code _shuttle_} tables included: stamps, seqs, node
 * identities, conflict and pending records with their times), the second time in a JVM of its own,
 * where what a JVM picks afresh (identity hashes, the iteration order of {@code Map.copyOf}) is
 * likely to differ; another seed writes other bytes.
 */
class SimulationReplayTest {
    private static final int OPS = 300;
    private static final List<String> FILES = List.of("hub.db", "device0.db", "device1.db", "device2.db");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(
            value = ConflictPolicy.class,
            names = {"LWW", "FIELD_LWW", "MANUAL"})
    void theSameSeedWritesTheSameBytesAndAnotherSeedOthers(ConflictPolicy policy) throws Exception {
        SimulationResult first = run(policy, 11, dir.resolve("first"));
        Path again = dir.resolve("again");
        runInAnotherJvm(policy, 11, again);
        SimulationResult other = run(policy, 12, dir.resolve("other"));

        assertThat(first.faultsInjected().keySet()).isEqualTo(EnumSet.allOf(Fault.class));
        assertThat(first.faultsInjected().values()).allMatch(n -> n > 0);
        assertThat(first.recordedWrites()).isGreaterThan(OPS / 2);
        List<String> differing = new ArrayList<>();
        for (String f : FILES) {
            byte[] a = Files.readAllBytes(first.kept().resolve(f));
            byte[] b = Files.readAllBytes(again.resolve(f));
            assertThat(Arrays.mismatch(a, b))
                    .as(f + ": the first byte the replay wrote differently")
                    .isEqualTo(-1);
            if (!Arrays.equals(a, Files.readAllBytes(other.kept().resolve(f)))) {
                differing.add(f);
            }
            assertThat(first.kept().resolve(f + "-wal")).doesNotExist();
        }
        assertThat(differing).as("files another seed wrote differently").isEqualTo(FILES);
        assertThat(Files.readString(again.resolveSibling("again.digest"))).isEqualTo(first.digest());
        assertThat(other.digest()).isNotEqualTo(first.digest());
    }

    /** The second run: {@code policy seed folder}; writes the run's digest beside the folder. */
    public static void main(String[] args) throws IOException {
        Path keep = Path.of(args[2]);
        SimulationResult r = run(ConflictPolicy.valueOf(args[0]), Long.parseLong(args[1]), keep);
        Files.writeString(keep.resolveSibling(keep.getFileName() + ".digest"), r.digest());
    }

    private static void runInAnotherJvm(ConflictPolicy policy, long seed, Path keep) throws Exception {
        Path log = keep.resolveSibling(keep.getFileName() + ".log");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "--enable-native-access=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        SimulationReplayTest.class.getName(),
                        policy.name(),
                        String.valueOf(seed),
                        keep.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("the replay did not end within 5 minutes");
        }
        assertThat(p.exitValue())
                .as("the replay's exit code; its output:%n%s", Files.readString(log))
                .isZero();
    }

    private static SimulationResult run(ConflictPolicy policy, long seed, Path keep) {
        return new Simulation(
                        SimulationConfig.builder()
                                .replicas(3)
                                .ops(OPS)
                                .policy(policy)
                                .faults(EnumSet.allOf(Fault.class))
                                .seed(seed)
                                .keep(keep)
                                .build(),
                        ProgressListener.NONE)
                .run();
    }
}
