package io.shuttlebridge.testkit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One SHA-256 over SQLite database files as they are on disk, byte for byte, in the order given
 * (each file's name and size first): two runs that wrote the same bytes have the same digest. Read
 * once every connection is closed, when SQLite has copied its write-ahead log into the file and
 * deleted it; a log still there is taken in too, so that a file that is not complete yet cannot
 * pass for the same.
 */
public final class DatabaseDigest {
    private DatabaseDigest() {}

    public static String of(List<Path> files) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        for (Path file : files) {
            add(sha, file);
            Path wal = file.resolveSibling(file.getFileName() + "-wal");
            if (Files.exists(wal)) {
                add(sha, wal);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void add(MessageDigest sha, Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            sha.update((file.getFileName() + "\u0000" + bytes.length + "\u0000").getBytes(StandardCharsets.UTF_8));
            sha.update(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " for its digest: " + e.getMessage(), e);
        }
    }
}
