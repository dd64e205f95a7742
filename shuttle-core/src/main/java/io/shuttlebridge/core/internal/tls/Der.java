package io.shuttlebridge.core.internal.tls;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/** The little DER the key forms need: writing a tag-length-value, finding an element of a sequence. */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;

    private Der() {}

    /** Tag, definite length, then the contents. */
    static byte[] tlv(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        int n = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(n + 6);
        out.write(tag);
        if (n < 0x80) {
            out.write(n);
        } else {
            int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(n >>> (8 * i));
            }
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    /**
     * The whole element (tag and length included) inside the context-specific element {@code [tagNumber]} among the
     * direct children of the sequence {@code der}, or null when there is none.
     */
    static byte[] explicit(byte[] der, int tagNumber) {
        int[] outer = header(der, 0);
        if ((der[0] & 0xff) != SEQUENCE) {
            throw new IllegalArgumentException("not a DER sequence");
        }
        int at = outer[0];
        int end = outer[0] + outer[1];
        while (at < end) {
            int tag = der[at] & 0xff;
            int[] h = header(der, at);
            if (tag == (0xa0 | tagNumber)) {
                int inner = h[0];
                int[] ih = header(der, inner);
                return Arrays.copyOfRange(der, inner, ih[0] + ih[1]);
            }
            at = h[0] + h[1];
        }
        return null;
    }

    /** {offset of the contents, their length} of the element at {@code at}. */
    private static int[] header(byte[] der, int at) {
        if (at + 2 > der.length) {
            throw new IllegalArgumentException("DER cut short");
        }
        int first = der[at + 1] & 0xff;
        int start = at + 2;
        int length;
        if (first < 0x80) {
            length = first;
        } else {
            int bytes = first & 0x7f;
            if (bytes == 0 || bytes > 3 || start + bytes > der.length) {
                throw new IllegalArgumentException("unsupported DER length");
            }
            length = 0;
            for (int i = 0; i < bytes; i++) {
                length = (length << 8) | (der[start + i] & 0xff);
            }
            start += bytes;
        }
        if (start + length > der.length) {
            throw new IllegalArgumentException("DER cut short");
        }
        return new int[] {start, length};
    }
}
