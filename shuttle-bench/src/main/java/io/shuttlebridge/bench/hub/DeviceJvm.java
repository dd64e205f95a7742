package io.shuttlebridge.bench.hub;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code shuttle} command in a child JVM with a bounded heap, the way a device would run
 * it, using the jar the benchmark itself was started from, and the JVM's ahead-of-time cache
 * beside it when the {@code shuttle} launcher made one for this build (JDK 25 and later), as the
 * launcher would.
 */
public final class DeviceJvm {
    private DeviceJvm() {}

    /** The shuttle jar this JVM runs from, when it runs from one (not when started from classes in an IDE). */
    public static Optional<Path> ownJar() {
        try {
            Path p = Path.of(DeviceJvm.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            return Files.isRegularFile(p) && p.toString().endsWith(".jar") ? Optional.of(p) : Optional.empty();
        } catch (URISyntaxException | SecurityException e) {
            return Optional.empty();
        }
    }

    /**
     * The launcher's ahead-of-time cache for this jar ({@code shuttle.aot} beside it, made after the
     * jar), when this JVM can use one; empty when there is none or {@code SHUTTLE_NO_AOT} is set.
     */
    public static Optional<Path> aotCache(Path jar) {
        Path aot = jar.resolveSibling("shuttle.aot");
        try {
            boolean usable = Runtime.version().feature() >= 25
                    && System.getenv("SHUTTLE_NO_AOT") == null
                    && Files.isRegularFile(aot)
                    && Files.getLastModifiedTime(aot).compareTo(Files.getLastModifiedTime(jar)) >= 0;
            return usable ? Optional.of(aot) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Runs {@code java -Xmx<heap> -jar JAR args...}; returns its standard output, failing on a non-zero exit. */
    public static String run(Path jar, String heap, Path workDir, String... args)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap,
                "--enable-native-access=ALL-UNNAMED"));
        aotCache(jar).ifPresent(aot -> cmd.addAll(List.of("-XX:AOTCache=" + aot, "-Xlog:aot=off")));
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(List.of(args));
        File err = workDir.resolve("device-stderr.log").toFile();
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectError(err);
        pb.environment().put("SHUTTLE_NO_PROGRESS", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("device JVM '" + String.join(" ", args) + "' failed (exit "
                    + (p.isAlive() ? "none, still running" : p.exitValue()) + "): " + Files.readString(err.toPath()));
        }
        return out;
    }
}
