package io.shuttlebridge.core.internal.sync.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.id.Hlc;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The skew bound's two pure functions: beyond the bound or not, and the change under the hub's stamp. */
class ClockBoundTest {
    private static final long NOW = 1_800_000_000_000L;
    private final ClockBound fiveMinutes = new ClockBound(300_000);

    private static Change change(long hlc, Map<String, Stamp> columnStamps) {
        return new Change("t", List.of(1L), Op.UPSERT, Map.of("id", 1L, "a", "x"), hlc, "A", 3, 2, columnStamps);
    }

    @ParameterizedTest(name = "{0} ms ahead => {1}")
    @CsvSource({
        "-86400000, 0", // behind: within
        "0, 0",
        "299999, 0",
        "300000, 0", // exactly the bound: within
        "300001, 300001",
        "315576000000, 315576000000" // ten years
    })
    void aChangeIsBeyondTheBoundOnlyWhenItsStampIsMoreThanTheBoundAhead(long ahead, long beyond) {
        assertThat(fiveMinutes.beyond(change(Hlc.pack(NOW + ahead, 7), Map.of()), NOW))
                .isEqualTo(beyond);
    }

    @Test
    void aColumnStampBeyondTheBoundPutsTheChangeBeyondIt() {
        Change r = change(Hlc.pack(NOW, 0), Map.of("a", new Stamp(Hlc.pack(NOW + 600_000, 0), "A")));
        assertThat(fiveMinutes.beyond(r, NOW)).isEqualTo(600_000);
        assertThat(new ClockBound(0).beyond(change(Hlc.pack(NOW + 1, 0), Map.of()), NOW))
                .isEqualTo(1);
    }

    @Test
    void theRestampedChangeKeepsItsRowValuesOriginAndVersionAndNoLaterColumnStamp() {
        long far = Hlc.pack(NOW + 315_576_000_000L, 3);
        long hub = Hlc.pack(NOW, 9);
        Map<String, Stamp> stamps = new LinkedHashMap<>();
        stamps.put("a", new Stamp(far, "A"));
        stamps.put("b", new Stamp(Hlc.pack(NOW - 5_000, 0), "B"));
        Change r = ClockBound.restamped(change(far, stamps), hub);
        assertThat(r.hlc()).isEqualTo(hub);
        assertThat(r.origin()).isEqualTo("A");
        assertThat(r.key()).containsExactly(1L);
        assertThat(r.values()).isEqualTo(Map.of("id", 1L, "a", "x"));
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.base()).isEqualTo(2);
        assertThat(r.columnStamps())
                .containsExactly(
                        Map.entry("a", new Stamp(hub, "A")), Map.entry("b", new Stamp(Hlc.pack(NOW - 5_000, 0), "B")));
    }
}
