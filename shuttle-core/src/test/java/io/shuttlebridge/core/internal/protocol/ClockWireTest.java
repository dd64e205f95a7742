package io.shuttlebridge.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.protocol.HubLimits;
import io.shuttlebridge.core.sync.PushResult;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The clock's part of the wire: the re-stamped changes of a push answer, and the skew bound in the schema's limits. */
class ClockWireTest {
    @Test
    void aPushAnswerListsTheChangesItRestampedAndReadsBackTheSame() {
        PushResult r = new PushResult(
                2,
                0,
                0,
                0,
                List.of(),
                7,
                List.of(),
                List.of(new PushResult.Restamped(
                        1, new Stamp(9L << 16 | 2, "node-a"), 5L << 16 | 3, 315_576_000_000L)));
        String json = PushResultCodec.write(r);
        assertThat(json)
                .isEqualTo(
                        "{\"applied\":2,\"duplicates\":0,\"superseded\":0,\"pending\":0,\"conflicts\":[],\"hubSeq\":7,"
                                + "\"rejected\":[],\"restamped\":[{\"index\":1,\"hlc\":\"0000000000090002\",\"origin\":\"node-a\","
                                + "\"newHlc\":\"0000000000050003\",\"aheadMs\":315576000000}]}");
        assertThat(PushResultCodec.read(ChangeCodec.parse(json, "push result"))).isEqualTo(r);
    }

    @Test
    void anAnswerWithoutTheFieldRestampedNothing() {
        String older = "{\"applied\":1,\"duplicates\":0,\"superseded\":0,\"pending\":0,\"conflicts\":[],\"hubSeq\":3,"
                + "\"rejected\":[]}";
        assertThat(PushResultCodec.read(ChangeCodec.parse(older, "push result")).restamped())
                .isEmpty();
    }

    @Test
    void theSchemaAnnouncesTheSkewBoundUnderItsLimits() {
        HubSchema s = new HubSchema("hub-node", "sqlite", List.of());
        String json = SchemaCodec.write(s, new HubLimits(500, 1024), Duration.ofMinutes(5));
        assertThat(json).contains("\"limits\":{\"maxBatch\":500,\"maxBodyBytes\":1024,\"maxClockSkewMs\":300000}");
        var doc = ChangeCodec.parse(json, "schema");
        assertThat(SchemaCodec.maxClockSkew(doc)).contains(Duration.ofMinutes(5));
        assertThat(SchemaCodec.limits(doc)).isEqualTo(new HubLimits(500, 1024));
        assertThat(SchemaCodec.maxClockSkew(
                        ChangeCodec.parse(SchemaCodec.write(s, new HubLimits(500, 1024)), "schema")))
                .isEmpty();
    }
}
