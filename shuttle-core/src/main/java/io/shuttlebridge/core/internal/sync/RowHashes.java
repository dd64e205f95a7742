package io.shuttlebridge.core.internal.sync;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * The hashes hub and device agree on for a row ({@link io.shuttlebridge.core.sync.RowSet}): a key's hash
 * is the first 8 bytes of the SHA-256 of its canonical text (as {@link KeyDigests} writes it, the same on
 * every database); a row's hash mixes its key's hash with its version stamp (the hybrid logical clock and
 * the version of its last write), so a row held at another version hashes differently. Internal.
 */
public final class RowHashes {
    private final MessageDigest sha;
    private final StringBuilder text = new StringBuilder();

    public RowHashes() {
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The hash of a key, its values in the key's column order. */
    public long key(List<Object> values) {
        text.setLength(0);
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                text.append('\u0000');
            }
            text.append(KeyDigests.canonical(values.get(i)));
        }
        return ByteBuffer.wrap(sha.digest(text.toString().getBytes(StandardCharsets.UTF_8)))
                .getLong();
    }

    /** The hash of a row whose key hashes to {@code key}, at the stamp of its last write. */
    public static long row(long key, long hlc, long version) {
        return mix(key ^ mix(hlc + 0x9E3779B97F4A7C15L * (version + 1)));
    }

    /** Whether a key of hash {@code key} lies in part {@code part} of {@code parts}. */
    public static boolean inPart(long key, int part, int parts) {
        return parts == 1 || Long.remainderUnsigned(key, parts) == part;
    }

    /** A 64-bit finalizer (SplitMix64's): every bit of the input reaches every bit of the output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
