package io.shuttlebridge.bridge.internal.identity;

import java.util.Arrays;

/**
 * BLAKE3 with the default 32-byte output, for whole byte arrays (no key, no extendable output): the
 * chunk, parent and root compressions of the BLAKE3 specification, written for short inputs (a canonical
 * record is one or two 64-byte blocks) without allocating per call. Inputs longer than one 1 KiB chunk
 * are hashed as the specification's binary tree. Not thread-safe: one instance per thread.
 */
public final class Blake3 {
    private static final int[] IV = {
        0x6A09E667, 0xBB67AE85, 0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C, 0x1F83D9AB, 0x5BE0CD19
    };
    private static final int CHUNK_START = 1;
    private static final int CHUNK_END = 2;
    private static final int PARENT = 4;
    private static final int ROOT = 8;
    private static final int BLOCK_LEN = 64;
    private static final int CHUNK_LEN = 1024;
    private static final int MAX_DEPTH = 54;

    private final int[] block = new int[16];
    private final int[] cv = new int[8];
    private final int[] out = new int[8];
    private final int[][] stack = new int[MAX_DEPTH][8];

    /** BLAKE3-256 of {@code length} bytes of {@code input} from {@code offset}. */
    public byte[] hash(byte[] input, int offset, int length) {
        int chunks = Math.max(1, (length + CHUNK_LEN - 1) / CHUNK_LEN);
        int depth = 0;
        for (int chunk = 0; chunk < chunks - 1; chunk++) {
            chunkChainingValue(input, offset + chunk * CHUNK_LEN, CHUNK_LEN, chunk, 0);
            // merge completed subtrees: one merge per trailing zero bit of the chunk count so far
            long total = chunk + 1L;
            int[] merged = copy(cv, stack[depth]);
            while ((total & 1) == 0) {
                depth--;
                parent(stack[depth], merged, 0);
                merged = copy(cv, stack[depth]);
                total >>= 1;
            }
            depth++;
        }
        int last = chunks - 1;
        int lastLen = length - last * CHUNK_LEN;
        if (depth == 0) {
            chunkChainingValue(input, offset + last * CHUNK_LEN, lastLen, last, ROOT);
        } else {
            chunkChainingValue(input, offset + last * CHUNK_LEN, lastLen, last, 0);
            int[] right = copy(cv, new int[8]);
            while (depth > 0) {
                depth--;
                parent(stack[depth], right, depth == 0 ? ROOT : 0);
                System.arraycopy(cv, 0, right, 0, 8);
            }
        }
        byte[] digest = new byte[32];
        for (int i = 0; i < 8; i++) {
            int w = cv[i];
            digest[4 * i] = (byte) w;
            digest[4 * i + 1] = (byte) (w >>> 8);
            digest[4 * i + 2] = (byte) (w >>> 16);
            digest[4 * i + 3] = (byte) (w >>> 24);
        }
        return digest;
    }

    private static int[] copy(int[] from, int[] to) {
        System.arraycopy(from, 0, to, 0, 8);
        return to;
    }

    /** Leaves the chaining value of one chunk (or, with ROOT on its last block, the root output) in {@link #cv}. */
    private void chunkChainingValue(byte[] input, int from, int length, long counter, int rootFlag) {
        System.arraycopy(IV, 0, cv, 0, 8);
        int blocks = Math.max(1, (length + BLOCK_LEN - 1) / BLOCK_LEN);
        for (int b = 0; b < blocks; b++) {
            int start = from + b * BLOCK_LEN;
            int len = Math.min(BLOCK_LEN, length - b * BLOCK_LEN);
            load(input, start, len);
            int flags = (b == 0 ? CHUNK_START : 0) | (b == blocks - 1 ? CHUNK_END | rootFlag : 0);
            compress(cv, block, counter, len, flags);
            System.arraycopy(out, 0, cv, 0, 8);
        }
    }

    private void parent(int[] left, int[] right, int rootFlag) {
        System.arraycopy(left, 0, block, 0, 8);
        System.arraycopy(right, 0, block, 8, 8);
        compress(IV, block, 0, BLOCK_LEN, PARENT | rootFlag);
        System.arraycopy(out, 0, cv, 0, 8);
    }

    private void load(byte[] in, int start, int len) {
        if (len == BLOCK_LEN) {
            for (int i = 0; i < 16; i++) {
                int p = start + 4 * i;
                block[i] =
                        (in[p] & 0xff) | (in[p + 1] & 0xff) << 8 | (in[p + 2] & 0xff) << 16 | (in[p + 3] & 0xff) << 24;
            }
            return;
        }
        Arrays.fill(block, 0);
        for (int i = 0; i < len; i++) {
            block[i >>> 2] |= (in[start + i] & 0xff) << ((i & 3) << 3);
        }
    }

    /** The compression function; leaves the first 8 output words (the chaining value) in {@link #out}. */
    private void compress(int[] chaining, int[] m, long counter, int blockLen, int flags) {
        int s0 = chaining[0], s1 = chaining[1], s2 = chaining[2], s3 = chaining[3];
        int s4 = chaining[4], s5 = chaining[5], s6 = chaining[6], s7 = chaining[7];
        int s8 = IV[0], s9 = IV[1], s10 = IV[2], s11 = IV[3];
        int s12 = (int) counter, s13 = (int) (counter >>> 32), s14 = blockLen, s15 = flags;
        int m0 = m[0], m1 = m[1], m2 = m[2], m3 = m[3], m4 = m[4], m5 = m[5], m6 = m[6], m7 = m[7];
        int m8 = m[8], m9 = m[9], m10 = m[10], m11 = m[11], m12 = m[12], m13 = m[13], m14 = m[14], m15 = m[15];
        for (int round = 0; round < 7; round++) {
            // columns
            s0 += s4 + m0;
            s12 = Integer.rotateRight(s12 ^ s0, 16);
            s8 += s12;
            s4 = Integer.rotateRight(s4 ^ s8, 12);
            s0 += s4 + m1;
            s12 = Integer.rotateRight(s12 ^ s0, 8);
            s8 += s12;
            s4 = Integer.rotateRight(s4 ^ s8, 7);
            s1 += s5 + m2;
            s13 = Integer.rotateRight(s13 ^ s1, 16);
            s9 += s13;
            s5 = Integer.rotateRight(s5 ^ s9, 12);
            s1 += s5 + m3;
            s13 = Integer.rotateRight(s13 ^ s1, 8);
            s9 += s13;
            s5 = Integer.rotateRight(s5 ^ s9, 7);
            s2 += s6 + m4;
            s14 = Integer.rotateRight(s14 ^ s2, 16);
            s10 += s14;
            s6 = Integer.rotateRight(s6 ^ s10, 12);
            s2 += s6 + m5;
            s14 = Integer.rotateRight(s14 ^ s2, 8);
            s10 += s14;
            s6 = Integer.rotateRight(s6 ^ s10, 7);
            s3 += s7 + m6;
            s15 = Integer.rotateRight(s15 ^ s3, 16);
            s11 += s15;
            s7 = Integer.rotateRight(s7 ^ s11, 12);
            s3 += s7 + m7;
            s15 = Integer.rotateRight(s15 ^ s3, 8);
            s11 += s15;
            s7 = Integer.rotateRight(s7 ^ s11, 7);
            // diagonals
            s0 += s5 + m8;
            s15 = Integer.rotateRight(s15 ^ s0, 16);
            s10 += s15;
            s5 = Integer.rotateRight(s5 ^ s10, 12);
            s0 += s5 + m9;
            s15 = Integer.rotateRight(s15 ^ s0, 8);
            s10 += s15;
            s5 = Integer.rotateRight(s5 ^ s10, 7);
            s1 += s6 + m10;
            s12 = Integer.rotateRight(s12 ^ s1, 16);
            s11 += s12;
            s6 = Integer.rotateRight(s6 ^ s11, 12);
            s1 += s6 + m11;
            s12 = Integer.rotateRight(s12 ^ s1, 8);
            s11 += s12;
            s6 = Integer.rotateRight(s6 ^ s11, 7);
            s2 += s7 + m12;
            s13 = Integer.rotateRight(s13 ^ s2, 16);
            s8 += s13;
            s7 = Integer.rotateRight(s7 ^ s8, 12);
            s2 += s7 + m13;
            s13 = Integer.rotateRight(s13 ^ s2, 8);
            s8 += s13;
            s7 = Integer.rotateRight(s7 ^ s8, 7);
            s3 += s4 + m14;
            s14 = Integer.rotateRight(s14 ^ s3, 16);
            s9 += s14;
            s4 = Integer.rotateRight(s4 ^ s9, 12);
            s3 += s4 + m15;
            s14 = Integer.rotateRight(s14 ^ s3, 8);
            s9 += s14;
            s4 = Integer.rotateRight(s4 ^ s9, 7);
            // message permutation [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8]
            int t0 = m2, t1 = m6, t2 = m3, t3 = m10, t4 = m7, t5 = m0, t6 = m4, t7 = m13;
            int t8 = m1, t9 = m11, t10 = m12, t11 = m5, t12 = m9, t13 = m14, t14 = m15, t15 = m8;
            m0 = t0;
            m1 = t1;
            m2 = t2;
            m3 = t3;
            m4 = t4;
            m5 = t5;
            m6 = t6;
            m7 = t7;
            m8 = t8;
            m9 = t9;
            m10 = t10;
            m11 = t11;
            m12 = t12;
            m13 = t13;
            m14 = t14;
            m15 = t15;
        }
        out[0] = s0 ^ s8;
        out[1] = s1 ^ s9;
        out[2] = s2 ^ s10;
        out[3] = s3 ^ s11;
        out[4] = s4 ^ s12;
        out[5] = s5 ^ s13;
        out[6] = s6 ^ s14;
        out[7] = s7 ^ s15;
    }
}
