package io.shuttlebridge.bridge.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.digests.Blake3Digest;
import org.junit.jupiter.api.Test;

/** The BLAKE3 implementation against published vectors and against BouncyCastle on every length up to 9 chunks. */
class Blake3Test {

    @Test
    void publishedVectors() {
        Blake3 b = new Blake3();
        assertThat(hex(b.hash(new byte[0], 0, 0)))
                .isEqualTo("af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262");
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertThat(hex(b.hash(abc, 0, abc.length)))
                .isEqualTo("6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85");
    }

    @Test
    void agreesWithBouncyCastleOnEveryLengthAndOffset() {
        long seed = System.nanoTime();
        System.out.println("Blake3Test.agreesWithBouncyCastleOnEveryLengthAndOffset seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] data = new byte[9 * 1024 + 100];
        random.nextBytes(data);
        Blake3 mine = new Blake3();
        Blake3Digest reference = new Blake3Digest(256);
        for (int len = 0; len <= 9 * 1024 + 3; len += len < 2100 ? 1 : 7) {
            int offset = random.nextInt(64);
            reference.update(data, offset, len);
            byte[] expected = new byte[32];
            reference.doFinal(expected, 0);
            assertThat(hex(mine.hash(data, offset, len))).as("length %d", len).isEqualTo(hex(expected));
        }
        byte[] large = new byte[300_000];
        random.nextBytes(large);
        reference.update(large, 0, large.length);
        byte[] expected = new byte[32];
        reference.doFinal(expected, 0);
        assertThat(mine.hash(large, 0, large.length)).isEqualTo(expected);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
