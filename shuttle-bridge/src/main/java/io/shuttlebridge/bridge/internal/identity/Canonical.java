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
        appendName(name);
        put((byte) '~');
    }

    public void append(String name, Object value) {
        if (value == null) {
            appendNull(name);
            return;
        }
        appendName(name);
        switch (value) {
            case String s -> text('s', s);
            case Long l -> text('n', Long.toString(l));
            case Integer i -> text('n', Integer.toString(i));
            case BigDecimal d -> text('n', number(d));
            case Boolean b -> text('b', b.toString());
            case LocalDate d -> text('d', d.toString());
            case LocalDateTime t -> text('t', DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(t));
            case Instant i -> text('i', DateTimeFormatter.ISO_INSTANT.format(i));
            default -> text('s', value.toString());
        }
    }

    static String number(BigDecimal d) {
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
    }

    private void appendName(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        ascii(Integer.toString(bytes.length));
        put((byte) ':');
        put(bytes);
    }

    private void text(char tag, String value) {
        put((byte) tag);
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        ascii(Integer.toString(bytes.length));
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
