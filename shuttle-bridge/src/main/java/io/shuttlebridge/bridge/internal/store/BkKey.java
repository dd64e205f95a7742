package io.shuttlebridge.bridge.internal.store;

import java.util.Arrays;
import java.util.HexFormat;

/** A business-key hash as a map key. The hash is already uniform, so its first bytes are the hash code. */
public final class BkKey {
    private final byte[] bytes;

    public BkKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public byte[] bytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BkKey k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | (bytes[3] & 0xff);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
