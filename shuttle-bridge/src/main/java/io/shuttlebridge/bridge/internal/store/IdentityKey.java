package io.shuttlebridge.bridge.internal.store;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Where a stored identity lives: its {@code OrderKey} prefix and its business-key hash, the primary key
 * of {@code _shuttle_bridge_identity} within an entity. Ordered as the table is (unsigned bytes).
 */
public record IdentityKey(byte[] ord, byte[] bk) {
    public static final Comparator<IdentityKey> ORDER = (a, b) -> compare(a, b.ord, b.bk);

    /** Compares {@code k} with the key ({@code ord}, {@code bk}) in table order. */
    public static int compare(IdentityKey k, byte[] ord, byte[] bk) {
        int c = Arrays.compareUnsigned(k.ord, ord);
        return c != 0 ? c : Arrays.compareUnsigned(k.bk, bk);
    }
}
