package io.shuttlebridge.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.protocol.HubLimits;
import io.shuttlebridge.core.sync.PushResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A page sent as several requests: each says how many changes it carries, and the answers add up with their positions in the page. */
class PushRequestsTest {
    @Test
    void theRestampedPositionsOfALaterRequestCountFromTheStartOfThePage() {
        List<Change> page = new ArrayList<>();
        for (long id = 1; id <= 5; id++) {
            page.add(new Change("t", List.of(id), Op.UPSERT, Map.of("id", id), id << 16, "a", 1, 0, Map.of()));
        }
        List<PushRequests.Request> requests = PushRequests.requests("a", page, new HubLimits(2, 1 << 20));
        assertThat(requests).extracting(PushRequests.Request::changes).containsExactly(2, 2, 1);

        PushResult first = new PushResult(
                2,
                0,
                0,
                0,
                List.of(),
                10,
                List.of(),
                List.of(new PushResult.Restamped(1, new Stamp(2L << 16, "a"), 7, 100)));
        PushResult second = new PushResult(
                2,
                0,
                0,
                0,
                List.of(),
                12,
                List.of(),
                List.of(new PushResult.Restamped(0, new Stamp(3L << 16, "a"), 8, 90)));
        PushResult sum = PushRequests.add(first, second, 2);
        assertThat(sum.applied()).isEqualTo(4);
        assertThat(sum.hubSeq()).isEqualTo(12);
        assertThat(sum.restamped())
                .extracting(PushResult.Restamped::index, x -> x.stamp().hlc(), PushResult.Restamped::newHlc)
                .containsExactly(tuple(1, 2L << 16, 7L), tuple(2, 3L << 16, 8L));
    }
}
