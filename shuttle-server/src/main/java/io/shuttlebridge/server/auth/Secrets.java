package io.shuttlebridge.server.auth;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/** HS256 secrets: read from a file, at least 32 bytes. */
final class Secrets {
    /** 256 bits: RFC 7518 §3.2 asks for a key at least as long as the hash. */
    static final int MIN_BYTES = 32;

    private Secrets() {}

    static byte[] read(Path file) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "cannot read the secret file " + file + ": " + e.getMessage(), e);
        }
        int end = raw.length;
        while (end > 0 && Character.isWhitespace(raw[end - 1])) {
            end--;
        }
        return check(Arrays.copyOf(raw, end), "the secret in " + file);
    }

    static byte[] check(byte[] secret, String what) {
        if (secret == null || secret.length < MIN_BYTES) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    what + " is " + (secret == null ? 0 : secret.length) + " bytes; HS256 needs at least " + MIN_BYTES
                            + " (make one with: openssl rand -base64 48)");
        }
        return secret.clone();
    }
}
