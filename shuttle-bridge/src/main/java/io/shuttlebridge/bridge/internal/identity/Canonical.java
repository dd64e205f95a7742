package io.shuttlebridge.bridge.internal.identity;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * The canonical byte form of a set of named values, the input of both identity hashes. Columns are
 * taken in name order (so field order never matters), each written as
 * {@code <name length>:<name><tag><value length>:<value>} in UTF-8, lengths in bytes as decimal text;
 * a null is {@code <name length>:<name>~}. Tags: {@code s} text, {@code n} number (plain decimal,
 * trailing zeros stripped, so 1, 1.0 and 1.00 are equal), {@code b} boolean, {@code d} ISO date,
 * {@code t} ISO local date-time, {@code i} ISO instant in UTC. Example: {@code customer_no = "C001"}
 * is {@code 11:customer_nos4:C001}.
 */
public final class Canonical {
    private byte[] buffer = new byte[256];
    private int length;

    public void reset() {
        length = 0;
    }

    public byte[] buffer() {
        return buffer;
    }

    public int length() {
        return length;
    }

    public byte[] toBytes() {
        return Arrays.copyOf(buffer, length);
    }

    public void appendNull(String name) {
        appendNull(prefix(name));
    }

    /** A null value after a name prefix made by {@link #prefix(String)}. */
    public void appendNull(byte[] namePrefix) {
        put(namePrefix);
        put((byte) '~');
    }

    public void append(String name, Object value) {
        append(prefix(name), value);
    }

    /** The encoded name part, {@code <name length>:<name>}, to compute once per column. */
    public static byte[] prefix(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] len = Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(len, len.length + 1 + bytes.length);
        out[len.length] = ':';
        System.arraycopy(bytes, 0, out, len.length + 1, bytes.length);
        return out;
    }

    /**
     * Appends one named value. Common values (ASCII text, longs, decimals with up to 18 digits, dates of
     * years 0 to 9999) are written straight into the buffer; the bytes are the same as the general path.
     */
    public void append(byte[] namePrefix, Object value) {
        if (value == null) {
            appendNull(namePrefix);
            return;
        }
        put(namePrefix);
        switch (value) {
            case String s -> string(s);
            case Long l -> integer(l);
            case Integer i -> integer(i);
            case BigDecimal d -> decimal(d);
            case Boolean b -> text('b', b.toString());
            case LocalDate d -> date(d);
            case LocalDateTime t -> text('t', DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t));
            case Instant i -> text('i', DateTimeFormatter.ISO_INSTANT.format(i));
            default -> text('s', value.toString());
        }
    }

    static String number(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    private void string(String s) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                text('s', s);
                return;
            }
        }
        put((byte) 's');
        digits(n);
        put((byte) ':');
        ensure(n);
        for (int i = 0; i < n; i++) {
            buffer[length++] = (byte) s.charAt(i);
        }
    }

    private void integer(long v) {
        put((byte) 'n');
        if (v == Long.MIN_VALUE) {
            ascii(Integer.toString(20));
            put((byte) ':');
            ascii(Long.toString(v));
            return;
        }
        int size = digitCount(Math.abs(v)) + (v < 0 ? 1 : 0);
        digits(size);
        put((byte) ':');
        if (v < 0) {
            put((byte) '-');
        }
        digits(Math.abs(v));
    }

    /** Plain decimal with trailing zeros stripped ({@link #number(BigDecimal)}), without building strings when it fits a long. */
    private void decimal(BigDecimal d) {
        if (d.signum() == 0) {
            put((byte) 'n');
            ascii("1:0");
            return;
        }
        if (d.precision() > 18 || d.scale() > 18) {
            text('n', number(d));
            return;
        }
        long u = d.unscaledValue().longValue();
        int scale = d.scale();
        while (scale > 0 && u % 10 == 0) {
            u /= 10;
            scale--;
        }
        boolean negative = u < 0;
        long a = Math.abs(u);
        int aDigits = digitCount(a);
        if (scale <= 0) {
            if (aDigits - scale > 18) {
                text('n', number(d));
                return;
            }
            int size = aDigits - scale + (negative ? 1 : 0);
            put((byte) 'n');
            digits(size);
            put((byte) ':');
            if (negative) {
                put((byte) '-');
            }
            digits(a);
            for (int i = 0; i < -scale; i++) {
                put((byte) '0');
            }
            return;
        }
        int intDigits = Math.max(1, aDigits - scale);
        int size = (negative ? 1 : 0) + intDigits + 1 + scale;
        put((byte) 'n');
        digits(size);
        put((byte) ':');
        if (negative) {
            put((byte) '-');
        }
        long pow = POW10[scale];
        digits(a / pow);
        put((byte) '.');
        long frac = a % pow;
        for (int i = digitCount(frac); i < scale; i++) {
            put((byte) '0');
        }
        if (frac != 0) {
            digits(frac);
        }
    }

    private void date(LocalDate d) {
        int year = d.getYear();
        if (year < 0 || year > 9999) {
            text('d', d.toString());
            return;
        }
        put((byte) 'd');
        ascii("10:");
        ensure(10);
        buffer[length++] = (byte) ('0' + year / 1000);
        buffer[length++] = (byte) ('0' + year / 100 % 10);
        buffer[length++] = (byte) ('0' + year / 10 % 10);
        buffer[length++] = (byte) ('0' + year % 10);
        buffer[length++] = '-';
        buffer[length++] = (byte) ('0' + d.getMonthValue() / 10);
        buffer[length++] = (byte) ('0' + d.getMonthValue() % 10);
        buffer[length++] = '-';
        buffer[length++] = (byte) ('0' + d.getDayOfMonth() / 10);
        buffer[length++] = (byte) ('0' + d.getDayOfMonth() % 10);
    }

    private static final long[] POW10 = new long[19];

    static {
        POW10[0] = 1;
        for (int i = 1; i < POW10.length; i++) {
            POW10[i] = POW10[i - 1] * 10;
        }
    }

    private static int digitCount(long nonNegative) {
        int n = 1;
        while (n < 19 && nonNegative >= POW10[n]) {
            n++;
        }
        return n;
    }

    /** Writes a non-negative number in decimal. */
    private void digits(long v) {
        int n = digitCount(v);
        ensure(n);
        for (int i = length + n - 1; i >= length; i--) {
            buffer[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        length += n;
    }

    private void text(char tag, String value) {
        put((byte) tag);
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        digits(bytes.length);
        put((byte) ':');
        put(bytes);
    }

    private void ascii(String s) {
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            buffer[length++] = (byte) s.charAt(i);
        }
    }

    private void put(byte b) {
        ensure(1);
        buffer[length++] = b;
    }

    private void put(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, length, bytes.length);
        length += bytes.length;
    }

    private void ensure(int extra) {
        if (length + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + extra));
        }
    }
}
