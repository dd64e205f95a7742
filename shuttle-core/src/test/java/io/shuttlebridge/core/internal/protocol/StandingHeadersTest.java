package io.shuttlebridge.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.sync.Standing;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The resent copies a push lists ({@link Standing#resent}) as the {@code Shuttle-Resent} header, and back. */
class StandingHeadersTest {
    @Test
    void resentPositionsTravelAsRangesAndComeBackTheSame() {
        Standing s = new Standing(41, "n1", null, false).withResent(Set.of(7, 0, 1, 2, 3, 9, 10));
        Map<String, String> headers = StandingHeaders.of(s);
        assertThat(headers).containsEntry(Protocol.RESENT_HEADER, "0-3,7,9-10");
        assertThat(StandingHeaders.read(headers::get)).isEqualTo(s);
    }

    @Test
    void aStandingWithoutResentChangesSendsNoHeader() {
        Map<String, String> headers = StandingHeaders.of(new Standing(41, "n1", null, false));
        assertThat(headers).doesNotContainKey(Protocol.RESENT_HEADER);
        assertThat(StandingHeaders.read(headers::get).resent()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "3-1", "-2", "1,,2", "0-99999999"})
    void aMalformedHeaderIsRefusedNamingIt(String value) {
        Map<String, String> headers = Map.of(Protocol.TICKET_HEADER, "41", Protocol.RESENT_HEADER, value);
        assertThatThrownBy(() -> StandingHeaders.read(headers::get))
                .isInstanceOfSatisfying(
                        ShuttleException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(Protocol.RESENT_HEADER)
                .hasMessageContaining(value);
    }
}
