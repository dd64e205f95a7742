package io.shuttlebridge.core.id;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Hybrid logical clock timestamps, represented everywhere in Shuttle Bridge as a plain {@code long}.
 * This class only holds static helpers over that {@code long}; timestamps are produced by {@link
 * HlcClock}.
 *
 * <p>Layout: {@code millis << 16 | counter}, where {@code millis} is wall-clock time in
 * milliseconds since the Unix epoch (a 48-bit field) and {@code counter} (16 bits, 0..65535)
 * orders events within the same millisecond. The numeric order of the {@code long} is the total
 * order of timestamps: first by milliseconds, then by counter.
 *
 * <p>The top bit of the millisecond field is always 0 ({@link #MAX_MILLIS} = 2^47 - 1, in the year
 * 6429): timestamps are therefore never negative and compare correctly as signed 64-bit integers,
 * in Java ({@link Long#compare}) as in SQL ({@code BIGINT}).
 *
 * <h2>Text forms</h2>
 *
 * <ul>
 *   <li>{@link #encode(long)}: the canonical, stable string form, exactly 16 lowercase hexadecimal
 *       digits, zero-padded: 2026-11-23T14:45:00.123Z with counter 7 is {@code 01a208de0e5b0007}. Because the
 *       width is fixed and the digits {@code 0-9a-f} sort in ASCII order, comparing two encodings
 *       as strings gives the same result as comparing the numbers. The same string can be produced
 *       in SQL ({@code printf('%016x', hlc)} in SQLite, {@code lpad(to_hex(hlc), 16, '0')} in
 *       PostgreSQL). {@link #decode(String)} accepts exactly this form.
 *   <li>{@link #toString(long)}: a human form for logs, {@code 2026-11-23T14:45:00.123Z#0007}: the
 *       UTC time to the millisecond, then {@code #} and the counter as 4 hexadecimal digits (the
 *       last 4 digits of the encoded form).
 * </ul>
 */
public final class Hlc {

    /** Width of the counter field. */
    public static final int COUNTER_BITS = 16;

    /** Width of the millisecond field (whose top bit is always 0, see {@link #MAX_MILLIS}). */
    public static final int MILLIS_BITS = 48;

    /** Largest counter value: 65535. */
    public static final int MAX_COUNTER = (1 << COUNTER_BITS) - 1;

    /** Largest millisecond value: 2^47 - 1, so that timestamps are never negative. */
    public static final long MAX_MILLIS = (1L << (MILLIS_BITS - 1)) - 1;

    /** Length of {@link #encode(long) encoded} timestamps: 16 characters. */
    public static final int ENCODED_LENGTH = 16;

    private static final DateTimeFormatter HUMAN =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Hlc() {}

    /**
     * Packs a timestamp.
     *
     * @param millis milliseconds since the Unix epoch, 0..{@link #MAX_MILLIS}
     * @param counter 0..65535
     * @throws ShuttleException {@link ErrorCode#INVALID_ARGUMENT} if a part is out of range
     */
    public static long pack(long millis, int counter) {
        if (millis < 0 || millis > MAX_MILLIS) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "HLC milliseconds " + millis + " are out of range: they must be between 0 and " + MAX_MILLIS + ".");
        }
        if (counter < 0 || counter > MAX_COUNTER) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "HLC counter " + counter + " is out of range: it must be between 0 and " + MAX_COUNTER + ".");
        }
        return millis << COUNTER_BITS | counter;
    }

    /** Returns the wall-clock part of a timestamp, in milliseconds since the Unix epoch. */
    public static long millis(long hlc) {
        check(hlc);
        return hlc >>> COUNTER_BITS;
    }

    /** Returns the counter part of a timestamp, 0..65535. */
    public static int counter(long hlc) {
        check(hlc);
        return (int) (hlc & MAX_COUNTER);
    }

    /** Returns the wall-clock part of a timestamp as an {@link Instant}. */
    public static Instant instant(long hlc) {
        return Instant.ofEpochMilli(millis(hlc));
    }

    /**
     * Encodes a timestamp as exactly 16 lowercase hexadecimal digits; string order equals numeric
     * order.
     */
    public static String encode(long hlc) {
        check(hlc);
        String hex = Long.toHexString(hlc);
        return "0".repeat(ENCODED_LENGTH - hex.length()) + hex;
    }

    /**
     * Decodes the output of {@link #encode(long)}.
     *
     * @throws ShuttleException {@link ErrorCode#INVALID_ARGUMENT} unless {@code text} is exactly 16
     *     lowercase hexadecimal digits whose first digit is 0-7
     */
    public static long decode(String text) {
        if (text == null || text.length() != ENCODED_LENGTH) {
            throw malformed(text, text == null ? "got null" : "got " + text.length() + " characters");
        }
        long value = 0;
        for (int i = 0; i < ENCODED_LENGTH; i++) {
            char c = text.charAt(i);
            int digit;
            if (c >= '0' && c <= '9') {
                digit = c - '0';
            } else if (c >= 'a' && c <= 'f') {
                digit = c - 'a' + 10;
            } else {
                throw malformed(text, "character " + (i + 1) + " '" + c + "' is not a lowercase hexadecimal digit");
            }
            value = value << 4 | digit;
        }
        if (value < 0) {
            throw malformed(text, "the first digit must be 0-7 (timestamps are never negative)");
        }
        return value;
    }

    /** Formats a timestamp for people, e.g. {@code 2026-11-23T14:45:00.123Z#0007}. */
    public static String toString(long hlc) {
        if (hlc < 0) {
            return "invalid HLC " + hlc;
        }
        return formatMillis(millis(hlc)) + "#" + String.format("%04x", counter(hlc));
    }

    /** Formats milliseconds since the Unix epoch as UTC time to the millisecond. */
    static String formatMillis(long millis) {
        return HUMAN.format(Instant.ofEpochMilli(millis));
    }

    private static void check(long hlc) {
        if (hlc < 0) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "Value " + hlc + " is not an HLC timestamp: timestamps are never negative.");
        }
    }

    private static ShuttleException malformed(String text, String problem) {
        String shown = text == null ? "null" : '"' + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + '"';
        return new ShuttleException(
                ErrorCode.INVALID_ARGUMENT,
                "Malformed HLC " + shown + ": expected exactly " + ENCODED_LENGTH
                        + " lowercase hexadecimal digits as written by Hlc.encode, " + problem + ".");
    }
}
