package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** The folder a cluster keeps its SQLite files in: a temporary one (deleted afterwards) or one the caller keeps. */
public final class Folders {
    private Folders() {}

    /**
     * {@code keep} made ready for a hub and {@code devices} devices (it must not hold their files
     * yet), or a new temporary folder when {@code keep} is null.
     */
    public static Path prepare(Path keep, int devices) {
        try {
            if (keep == null) {
                return Files.createTempDirectory("shuttle-testkit");
            }
            Files.createDirectories(keep);
            for (int i = -1; i < devices; i++) {
                Path f = keep.resolve(i < 0 ? "hub.db" : "device" + i + ".db");
                if (Files.exists(f)) {
                    throw new ShuttleException(
                            ErrorCode.INVALID_ARGUMENT, f + " already exists: give an empty or new folder");
                }
            }
            return keep;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the folder for the databases: " + e.getMessage(), e);
        }
    }

    public static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
