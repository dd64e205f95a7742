package io.shuttlebridge.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.internal.sync.RowHashes;
import io.shuttlebridge.core.sync.RowDiff;
import io.shuttlebridge.core.sync.RowSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowDiffCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRequestAndAnAnswerReadBackAsWritten() throws Exception {
        long[] hashes = {Long.MIN_VALUE, -1, 0, 7, Long.MAX_VALUE};
        RowDiffCodec.Request req =
                RowDiffCodec.request(JSON.readTree(RowDiffCodec.request("task", new RowSet(1, 3, hashes), 500)));
        assertThat(req.table()).isEqualTo("task");
        assertThat(req.limit()).isEqualTo(500);
        assertThat(req.have().part()).isEqualTo(1);
        assertThat(req.have().parts()).isEqualTo(3);
        assertThat(req.have().hashes()).containsExactly(hashes);

        Change row =
                new Change("task", List.of(7L), Op.UPSERT, Map.of("id", 7L, "title", "t"), 99, "n", 2, 1, Map.of());
        RowDiff back = RowDiffCodec.answer(
                JSON.readTree(RowDiffCodec.answer(new RowDiff(List.of(row), new long[] {5, -3}, false))));
        assertThat(back.changes()).hasSize(1);
        assertThat(back.changes().get(0).key()).hasSize(1);
        assertThat(back.gone()).containsExactly(5, -3);
        assertThat(back.more()).isFalse();
    }

    @Test
    void aMalformedRequestIsRefusedNamingTheProblem() {
        assertThatThrownBy(() -> RowDiffCodec.request(JSON.readTree(
                        "{\"table\":\"t\",\"part\":0,\"parts\":1,\"limit\":5,\"rows\":\"AAAAAAAAAAIAAAAAAAAAAQ==\"}")))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("sorted");
        assertThatThrownBy(() -> RowDiffCodec.request(
                        JSON.readTree("{\"table\":\"t\",\"part\":0,\"parts\":1,\"limit\":5,\"rows\":\"AAAA\"}")))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("8-byte");
        assertThatThrownBy(() -> RowDiffCodec.request(
                        JSON.readTree("{\"table\":\"t\",\"part\":3,\"parts\":3,\"limit\":5,\"rows\":\"\"}")))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("part");
        assertThatThrownBy(() -> RowDiffCodec.request(
                        JSON.readTree("{\"table\":\"t\",\"part\":0,\"parts\":1,\"limit\":0,\"rows\":\"\"}")))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void aKeyHashesAlikeWhateverTypeItWasReadAsAndARowDiffersByItsStamp() {
        RowHashes h = new RowHashes();
        assertThat(h.key(List.of(7))).isEqualTo(h.key(List.of(7L)));
        assertThat(h.key(List.of(new java.math.BigDecimal("1.50")))).isEqualTo(h.key(List.of(1.5)));
        assertThat(h.key(List.of(7L))).isNotEqualTo(h.key(List.of(8L)));
        long k = h.key(List.of(7L));
        assertThat(RowHashes.row(k, 100, 1)).isNotEqualTo(RowHashes.row(k, 100, 2));
        assertThat(RowHashes.row(k, 100, 1)).isNotEqualTo(RowHashes.row(k, 101, 1));
        assertThat(RowHashes.row(k, 100, 1)).isEqualTo(RowHashes.row(h.key(List.of(7)), 100, 1));
    }
}
