package io.shuttlebridge.core.internal.bundle;

import io.shuttlebridge.core.internal.capture.SyncedTable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

/** Content hash and schema fingerprint of bundles, computed the same way on both sides. */
public final class BundleHashes {
    private BundleHashes() {}

    /** SHA-256 over the sorted SHA-256 digests of the changes: independent of row order. */
    public static String content(Collection<String> changeJson) {
        List<String> digests = new ArrayList<>(changeJson.size());
        for (String json : changeJson) {
            digests.add(sha256(json));
        }
        digests.sort(null);
        return sha256(String.join("\n", digests));
    }

    public static String schema(Collection<SyncedTable> tables) {
        List<String> parts = new ArrayList<>();
        for (SyncedTable t : tables) {
            parts.add(describe(t));
        }
        parts.sort(null);
        return sha256(String.join("\n", parts));
    }

    public static String describe(SyncedTable t) {
        return t.name() + "|key=" + String.join(",", t.key()) + "|cols=" + String.join(",", t.replicatedColumns()) + "|"
                + t.policy();
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
