package io.shuttlebridge.bridge.internal.identity;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A short, order-preserving prefix of a business key that clusters Bridge's stored identities. Sources
 * usually deliver records in key order (an ERP table, an {@code ORDER BY} query, a paged API, an export),
 * so identities stored and looked up by this prefix are read and written sequentially, where the random
 * {@code BK_HASH} alone would touch a random page for every record.
 *
 * <p>It is a function of the key values only, so one business key always has the same prefix, but
 * several keys may share one: identity is still decided by the {@code BK_HASH} stored next to it. Parts
 * are taken in key-column name order (like {@link Canonical}, so reordering the declared keys changes
 * nothing): a number as {@code 0x10} and its floor as a sign-flipped big-endian long (clamped), a boolean
 * as {@code 0x08} and one byte, anything else as {@code 0x20}, its UTF-8 text and a zero byte. The whole
 * is cut to {@value #MAX_LENGTH} bytes. Values equal under {@link Canonical} always give equal prefixes.
 */
public final class OrderKey {
    public static final int MAX_LENGTH = 24;
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final byte[] buffer = new byte[MAX_LENGTH];
    private int length;

    /** The prefix of these key values (non-null, in key-column name order). */
    public byte[] of(Object[] values, int[] columns) {
        length = 0;
        for (int i = 0; i < columns.length && length < MAX_LENGTH; i++) {
            part(values[columns[i]]);
        }
        return Arrays.copyOf(buffer, length);
    }

    private void part(Object v) {
        switch (v) {
            case Long l -> number(l);
            case Integer i -> number(i);
            case BigDecimal d -> number(floor(d));
            case Boolean b -> {
                put(0x08);
                put(b ? 1 : 0);
            }
            case String s -> text(s);
            default -> text(v.toString());
        }
    }

    private static long floor(BigDecimal d) {
        if (d.compareTo(LONG_MIN) <= 0) {
            return Long.MIN_VALUE;
        }
        if (d.compareTo(LONG_MAX) >= 0) {
            return Long.MAX_VALUE;
        }
        return d.setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    private void number(long v) {
        put(0x10);
        long flipped = v ^ Long.MIN_VALUE;
        for (int shift = 56; shift >= 0; shift -= 8) {
            put((int) (flipped >>> shift));
        }
    }

    private void text(String s) {
        put(0x20);
        int n = s.length();
        for (int i = 0; i < n && length < MAX_LENGTH; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                put(c);
            } else {
                for (byte b : s.substring(i).getBytes(StandardCharsets.UTF_8)) {
                    put(b);
                }
                break;
            }
        }
        put(0);
    }

    private void put(int b) {
        if (length < MAX_LENGTH) {
            buffer[length++] = (byte) b;
        }
    }
}
