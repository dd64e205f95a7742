package io.shuttlebridge.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.sync.PullResult;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The streaming writers and readers of pages and pushes agree with the tree-based ones, value for value. */
class WireCodecTest {
    private static final String NODE = "3f2b1c9e-8d7a-4e6b-9c5d-1a2b3c4d5e6f";

    private static List<Change> changes() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", Long.MIN_VALUE);
        v.put("text", "quote \" backslash \\ tab \t snow ☃ emoji 😀 nul-free");
        v.put("empty", "");
        v.put("nothing", null);
        v.put("real", 0.1);
        v.put("tiny", 4.9e-324);
        v.put("nan", Double.NaN);
        v.put("inf", Double.NEGATIVE_INFINITY);
        v.put("bytes", new byte[] {0, -1, 16});
        v.put("noBytes", new byte[0]);
        v.put("decimal", new BigDecimal("-1234567890123456789012345678.0123456789"));
        v.put("flag", true);
        v.put("off", false);
        List<Change> out = new ArrayList<>();
        out.add(new Change("item", List.of(Long.MAX_VALUE), Op.UPSERT, v, 123456789L << 16, NODE, 3, 2, Map.of()));
        out.add(new Change(
                "odd \"table\"", List.of("k", 7L, new byte[] {1}), Op.DELETE, Map.of(), 1, NODE, 1, 0, Map.of()));
        out.add(new Change(
                "merged",
                List.of(1L),
                Op.UPSERT,
                Map.of("id", 1L, "a", "x"),
                99,
                NODE,
                5,
                4,
                Map.of("a", new Stamp(98, "another-node"))));
        return out;
    }

    /** Changes compared by their JSON, since byte arrays in keys and values compare by identity. */
    private static String json(List<Change> changes) {
        return new String(
                WireCodec.pullResultBytes(new PullResult(changes, 0, false, false), -1), StandardCharsets.UTF_8);
    }

    @Test
    void writtenBodiesAreTheTreeWritersBodies() {
        String tree = ChangeCodec.toJson(ChangeCodec.change(changes().get(0)));
        assertThat(json(changes().subList(0, 1))).isEqualTo("{\"changes\":[" + tree + "],\"next\":0,\"more\":false}");
    }

    @Test
    void pushesReadStraightFromBytesAsTheTreeReaderReadsThem() {
        byte[] body = WireCodec.pushRequestBytes(NODE, changes());
        WireCodec.PushRequest fast = WireCodec.readPushRequest(body, 10);
        WireCodec.PushRequest tree =
                WireCodec.pushRequest(ChangeCodec.parse(new String(body, StandardCharsets.UTF_8), "body"), 10);
        assertThat(fast.nodeUuid()).isEqualTo(NODE).isEqualTo(tree.nodeUuid());
        assertThat(json(fast.changes())).isEqualTo(json(tree.changes())).isEqualTo(json(changes()));
        Change first = fast.changes().get(0);
        assertThat(first.values().get("nan")).isEqualTo(Double.NaN);
        assertThat(first.values().get("decimal")).isEqualTo(new BigDecimal("-1234567890123456789012345678.0123456789"));
        assertThat((byte[]) first.values().get("bytes")).containsExactly(0, -1, 16);
        assertThat(first.values().keySet())
                .containsExactlyElementsOf(changes().get(0).values().keySet());
        assertThat(fast.changes().get(2).columnStamps()).isEqualTo(Map.of("a", new Stamp(98, "another-node")));

        // more changes than the hub takes: the tree reader refuses them with its message
        assertThat(WireCodec.readPushRequest(body, 2)).isNull();
        assertThatThrownBy(() ->
                        WireCodec.pushRequest(ChangeCodec.parse(new String(body, StandardCharsets.UTF_8), "body"), 2))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("at most 2 changes");
    }

    @Test
    void pagesReadStraightFromBytesAsTheTreeReaderReadsThem() {
        byte[] body = WireCodec.pullResultBytes(new PullResult(changes(), 42, true, false), 77);
        WireCodec.Page fast = WireCodec.readPage(body);
        PullResult tree = WireCodec.pullResult(ChangeCodec.parse(new String(body, StandardCharsets.UTF_8), "page"));
        assertThat(fast.hubSeq()).isEqualTo(77);
        assertThat(fast.result().next()).isEqualTo(42).isEqualTo(tree.next());
        assertThat(fast.result().more()).isTrue();
        assertThat(fast.result().resyncRequired()).isFalse();
        assertThat(json(fast.result().changes())).isEqualTo(json(tree.changes()));

        WireCodec.Page resync = WireCodec.readPage(WireCodec.pullResultBytes(PullResult.resync(5), -1));
        assertThat(resync.result().resyncRequired()).isTrue();
        assertThat(resync.hubSeq()).isEqualTo(-1);
    }

    @Test
    void bodiesInAnotherFormAreLeftToTheTreeReader() {
        String change =
                "{\"table\":\"t\",\"key\":[1],\"op\":\"UPSERT\",\"values\":{\"id\":1},\"hlc\":\"0000000000000001\",\"origin\":\"o\","
                        + "\"version\":1,\"base\":0%s}";
        String push = "{\"protocol\":1,\"nodeUuid\":\"" + NODE + "\",\"changes\":[%s]}";
        // accepted as written, and with fields the reader does not know
        assertThat(push(bytes(push, String.format(change, ""))).changes()).hasSize(1);
        assertThat(push(bytes(push, String.format(change, ",\"extra\":{\"a\":[1,{}]}")))
                        .changes())
                .hasSize(1);
        for (String odd : List.of(
                String.format(change, ",\"columns\":null"), // ignored by the tree reader
                String.format(change, "").replace("[1]", "[]"),
                String.format(change, "").replace("\"id\":1", "\"id\":18446744073709551616"),
                String.format(change, "").replace("\"id\":1", "\"id\":{\"$x\":\"1\"}"),
                String.format(change, "").replace("\"id\":1", "\"id\":{\"$d\":\"1\",\"$b\":\"AA==\"}"),
                String.format(change, "").replace("\"id\":1", "\"id\":[1]"),
                String.format(change, "").replace("\"version\":1", "\"version\":-1"),
                String.format(change, "").replace("\"UPSERT\"", "\"upsert\""),
                String.format(change, "").replace("\"0000000000000001\"", "\"1\""),
                String.format(change, "").replace("\"origin\":\"o\"", "\"origin\":\"\""))) {
            assertThat(push(bytes(push, odd))).as(odd).isNull();
        }
        assertThat(push(bytes("{\"protocol\":\"1\",\"nodeUuid\":\"n\",\"changes\":[]}")))
                .isNull();
        assertThat(push(bytes("{\"protocol\":2,\"nodeUuid\":\"n\",\"changes\":[]}")))
                .isNull();
        assertThat(push(bytes("{\"nodeUuid\":\"n\"}"))).isNull();
        assertThat(push(bytes("{\"nodeUuid\":\"n\",\"changes\":[]"))).isNull();
        assertThat(WireCodec.readPage(bytes("{\"changes\":[],\"next\":1,\"more\":\"true\"}")))
                .isNull();
        assertThat(WireCodec.readPage(bytes("{\"changes\":[]}"))).isNull();
        assertThat(WireCodec.readPage(bytes("[]"))).isNull();
        assertThat(WireCodec.readPage(bytes("{\"next\":3}")).result().changes()).isEmpty();
    }

    private static byte[] bytes(String format, String... args) {
        return (args.length == 0 ? format : String.format(format, (Object[]) args)).getBytes(StandardCharsets.UTF_8);
    }

    private static WireCodec.PushRequest push(byte[] body) {
        return WireCodec.readPushRequest(body, 100);
    }
}
