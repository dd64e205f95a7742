package io.shuttlebridge.bridge.internal.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.bridge.internal.record.RecordRejection;
import java.math.BigDecimal;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden values computed independently with xxhsum -H2 (XXH3-128) and b3sum (BLAKE3) over the canonical text. */
class IdentityHasherTest {
    static final String BK_C001 = "aae1774a84cb6f03d35c8963c3f2c1e8"; // printf '11:customer_nos4:C001' | xxhsum -H2
    static final String DATA = "4adb121ddadb5b387858ae7456427e0f33650971de43997c1030f4e4fe2d093c"; // ...| b3sum

    @Test
    void libraryMatchesReferenceVectors() {
        assertThat(HexFormat.of().formatHex(IdentityHasher.xxh3(new byte[0], 0)))
                .isEqualTo("99aa06d3014798d86001c324468d497f");
        assertThat(HexFormat.of().formatHex(IdentityHasher.xxh3("abc".getBytes(), 3)))
                .isEqualTo("06b05ab6733a618578af5f94892f3950");
    }

    @Test
    void goldenBusinessKeyAndDataHash() {
        IdentityHasher h = new IdentityHasher(
                List.of("customer_no", "name", "balance", "since", "synced"),
                List.of("customer_no"),
                List.of("synced"));
        Object[] row = {"C001", "Alice", new BigDecimal("1234.560"), null, "2024-01-01"};
        assertThat(HexFormat.of().formatHex(h.businessKey(row)))
                .isEqualTo(BK_C001)
                .hasSize(32);
        assertThat(HexFormat.of().formatHex(h.data(row))).isEqualTo(DATA).hasSize(64);
    }

    @Test
    void stableAcrossFieldOrderNumericScaleAndAuditColumns() {
        IdentityHasher a = new IdentityHasher(
                List.of("customer_no", "name", "balance", "since", "synced"),
                List.of("customer_no"),
                List.of("synced"));
        IdentityHasher b = new IdentityHasher(
                List.of("since", "balance", "synced", "name", "customer_no"),
                List.of("customer_no"),
                List.of("synced"));
        byte[] one = a.data(new Object[] {"C001", "Alice", new BigDecimal("1234.56"), null, "x"});
        byte[] two = b.data(new Object[] {null, new BigDecimal("1234.5600"), "other audit value", "Alice", "C001"});
        assertThat(two).isEqualTo(one);
        assertThat(HexFormat.of().formatHex(b.businessKey(new Object[] {null, null, null, null, "C001"})))
                .isEqualTo(BK_C001);
    }

    @Test
    void nullKeyPartIsAnError() {
        IdentityHasher h = new IdentityHasher(List.of("a", "b"), List.of("a", "b"), List.of());
        assertThatThrownBy(() -> h.businessKey(new Object[] {"x", null}))
                .isInstanceOf(RecordRejection.class)
                .hasMessageContaining("business key part 'b' is null");
    }
}
