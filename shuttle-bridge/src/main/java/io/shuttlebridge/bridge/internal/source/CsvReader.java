package io.shuttlebridge.bridge.internal.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads RFC 4180 CSV straight from bytes, for charsets in which the delimiter, quote and line-break
 * bytes never occur inside another character (UTF-8 and single-byte charsets): fields are split on
 * bytes and decoded once each. Quoted fields may hold delimiters, doubled quotes and line breaks;
 * lines end with LF, CRLF or CR; blank lines are skipped; a UTF-8 byte-order mark is dropped.
 */
final class CsvReader implements AutoCloseable {
    private static final byte QUOTE = '"';
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    private final InputStream in;
    private final Charset charset;
    private final byte delimiter;
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private boolean eof;
    private byte[] field = new byte[256];
    private int fieldLength;
    private final List<String> fields = new ArrayList<>();
    private long line = 1;

    CsvReader(InputStream in, Charset charset, char delimiter) {
        this.in = in;
        this.charset = charset;
        this.delimiter = (byte) delimiter;
    }

    /** True when this reader handles the charset and delimiter (else use a character-based parser). */
    static boolean supports(Charset charset, char delimiter) {
        boolean asciiCompatible = charset.equals(StandardCharsets.UTF_8)
                || charset.equals(StandardCharsets.US_ASCII)
                || charset.equals(StandardCharsets.ISO_8859_1)
                || (charset.canEncode()
                        && charset.newEncoder().maxBytesPerChar() == 1f
                        && "a,\"\n".equals(new String("a,\"\n".getBytes(charset), charset)));
        return asciiCompatible && delimiter < 0x80 && delimiter != '"' && delimiter != '\n' && delimiter != '\r';
    }

    /** The line the next record starts on (1-based), for messages. */
    long line() {
        return line;
    }

    /** The next record's fields, or null at the end of the input. */
    String[] next() throws IOException {
        if (line == 1
                && pos == 0
                && charset.equals(StandardCharsets.UTF_8)
                && fill(3)
                && buffer[0] == (byte) 0xEF
                && buffer[1] == (byte) 0xBB
                && buffer[2] == (byte) 0xBF) {
            pos = 3;
        }
        while (true) {
            if (!fill(1)) {
                return null;
            }
            byte b = buffer[pos];
            if (b == LF || b == CR) {
                pos++;
                endOfLine(b);
                continue; // blank line
            }
            break;
        }
        fields.clear();
        while (true) {
            fieldLength = 0;
            int end = fill(1) && buffer[pos] == QUOTE ? quoted() : unquoted();
            fields.add(new String(field, 0, fieldLength, charset));
            if (end == delimiter) {
                continue;
            }
            return fields.toArray(String[]::new);
        }
    }

    /** Reads an unquoted field; returns the byte that ended it (delimiter, CR, LF) or -1 at the end of the input. */
    private int unquoted() throws IOException {
        while (true) {
            if (pos >= limit && !fill(1)) {
                return -1;
            }
            int start = pos;
            while (pos < limit) {
                byte b = buffer[pos];
                if (b == delimiter || b == LF || b == CR) {
                    append(start, pos);
                    pos++;
                    if (b != delimiter) {
                        endOfLine(b);
                    }
                    return b;
                }
                pos++;
            }
            append(start, pos);
        }
    }

    private int quoted() throws IOException {
        long startLine = line;
        pos++; // opening quote
        while (true) {
            if (pos >= limit && !fill(1)) {
                throw new IOException("unterminated quoted field starting on line " + startLine);
            }
            int start = pos;
            while (pos < limit && buffer[pos] != QUOTE) {
                if (buffer[pos] == LF) {
                    line++;
                }
                pos++;
            }
            append(start, pos);
            if (pos >= limit) {
                continue;
            }
            pos++; // a quote: doubled (a literal quote) or closing
            if (fill(1) && buffer[pos] == QUOTE) {
                append(pos, pos + 1);
                pos++;
                continue;
            }
            if (!fill(1)) {
                return -1;
            }
            byte b = buffer[pos++];
            if (b == delimiter) {
                return b;
            }
            if (b == LF || b == CR) {
                endOfLine(b);
                return b;
            }
            throw new IOException(
                    "unexpected character '" + (char) (b & 0xff) + "' after a closing quote on line " + line);
        }
    }

    /** After CR or LF was consumed: counts the line and swallows the LF of a CRLF. */
    private void endOfLine(byte b) throws IOException {
        line++;
        if (b == CR && fill(1) && buffer[pos] == LF) {
            pos++;
        }
    }

    private void append(int from, int to) {
        int n = to - from;
        if (fieldLength + n > field.length) {
            field = Arrays.copyOf(field, Math.max(field.length * 2, fieldLength + n));
        }
        System.arraycopy(buffer, from, field, fieldLength, n);
        fieldLength += n;
    }

    /** Makes at least {@code n} unread bytes available if the input has them; false when it has fewer. */
    private boolean fill(int n) throws IOException {
        if (limit - pos >= n) {
            return true;
        }
        if (eof) {
            return false;
        }
        System.arraycopy(buffer, pos, buffer, 0, limit - pos);
        limit -= pos;
        pos = 0;
        while (limit < n) {
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                eof = true;
                return false;
            }
            limit += read;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
