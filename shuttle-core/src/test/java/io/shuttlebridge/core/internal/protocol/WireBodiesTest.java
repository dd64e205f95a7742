package io.shuttlebridge.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import io.shuttlebridge.core.internal.schema.Table;
import io.shuttlebridge.core.protocol.HubLimits;
import io.shuttlebridge.core.protocol.Lease;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.PushResult;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The bodies without changes, byte for byte as protocol version 1 has them, and read back as written. */
class WireBodiesTest {

    private static ConflictRecord conflict() {
        Map<String, Object> local = new LinkedHashMap<>();
        local.put("id", 7L);
        local.put("name", "local ☃");
        local.put("bytes", new byte[] {1, 2});
        return new ConflictRecord(
                3,
                "item",
                List.of(7L, "k"),
                ConflictPolicy.MANUAL,
                local,
                5L << 16,
                "node-a",
                2,
                null,
                6L << 16 | 1,
                "node-b",
                3,
                1,
                "2025-03-01T10:00:00Z",
                "open",
                null);
    }

    @Test
    void pushResults() {
        PushResult r = new PushResult(4, 1, 2, 0, List.of(conflict()), 99, List.of(new Stamp(6L << 16 | 1, "node-b")));
        String json = PushResultCodec.write(r);
        assertThat(json)
                .isEqualTo(
                        "{\"applied\":4,\"duplicates\":1,\"superseded\":2,\"pending\":0,\"conflicts\":[{\"id\":3,\"table\":\"item\",\"key\":[7,\"k\"],\"policy\":\"MANUAL\",\"local\":{\"id\":7,\"name\":\"local ☃\",\"bytes\":{\"$b\":\"AQI=\"}},\"localHlc\":\"0000000000050000\",\"localOrigin\":\"node-a\",\"localVersion\":2,\"remote\":null,\"remoteHlc\":\"0000000000060001\",\"remoteOrigin\":\"node-b\",\"remoteVersion\":3,\"remoteBase\":1,\"detectedAt\":\"2025-03-01T10:00:00Z\",\"status\":\"open\",\"resolution\":null}],\"hubSeq\":99,\"rejected\":[{\"hlc\":\"0000000000060001\",\"origin\":\"node-b\"}]}");
        PushResult back = PushResultCodec.read(ChangeCodec.parse(json, "push result"));
        assertThat(PushResultCodec.write(back)).isEqualTo(json);
        assertThat(back.conflicts().get(0).remoteValues()).isNull();
    }

    @Test
    void schemas() {
        Table item = new Table(
                "item",
                List.of(
                        new Column("id", "bigint", Types.BIGINT, false, 1),
                        new Column("shop", "text", Types.VARCHAR, false, 0),
                        new Column("note", "text", Types.VARCHAR, true, 0)),
                List.of(new ForeignKey("item", List.of("shop"), "shop", List.of("id"))));
        HubSchema s = new HubSchema(
                "hub-node",
                "postgresql",
                List.of(new HubSchema.TableSpec(item, ConflictPolicy.FIELD_LWW, Set.of("note", "b"), "shop")));
        String plain = SchemaCodec.write(s);
        String limited = SchemaCodec.write(s, new HubLimits(500, 1024));
        assertThat(plain)
                .isEqualTo(
                        "{\"protocol\":1,\"hubNode\":\"hub-node\",\"dialect\":\"postgresql\",\"tables\":[{\"name\":\"item\",\"policy\":\"FIELD_LWW\",\"scopeColumn\":\"shop\",\"excluded\":[\"b\",\"note\"],\"columns\":[{\"name\":\"id\",\"type\":\"bigint\",\"jdbcType\":-5,\"nullable\":false,\"primaryKey\":1},{\"name\":\"shop\",\"type\":\"text\",\"jdbcType\":12,\"nullable\":false,\"primaryKey\":0},{\"name\":\"note\",\"type\":\"text\",\"jdbcType\":12,\"nullable\":true,\"primaryKey\":0}],\"foreignKeys\":[{\"columns\":[\"shop\"],\"parent\":\"shop\",\"parentColumns\":[\"id\"]}]}]}");
        assertThat(limited)
                .isEqualTo(
                        "{\"protocol\":1,\"hubNode\":\"hub-node\",\"dialect\":\"postgresql\",\"limits\":{\"maxBatch\":500,\"maxBodyBytes\":1024},\"tables\":[{\"name\":\"item\",\"policy\":\"FIELD_LWW\",\"scopeColumn\":\"shop\",\"excluded\":[\"b\",\"note\"],\"columns\":[{\"name\":\"id\",\"type\":\"bigint\",\"jdbcType\":-5,\"nullable\":false,\"primaryKey\":1},{\"name\":\"shop\",\"type\":\"text\",\"jdbcType\":12,\"nullable\":false,\"primaryKey\":0},{\"name\":\"note\",\"type\":\"text\",\"jdbcType\":12,\"nullable\":true,\"primaryKey\":0}],\"foreignKeys\":[{\"columns\":[\"shop\"],\"parent\":\"shop\",\"parentColumns\":[\"id\"]}]}]}");
        assertThat(SchemaCodec.limits(ChangeCodec.parse(limited, "schema"))).isEqualTo(new HubLimits(500, 1024));
        assertThat(SchemaCodec.limits(ChangeCodec.parse(plain, "schema"))).isEqualTo(HubLimits.DEFAULT);
        assertThat(SchemaCodec.write(SchemaCodec.read(ChangeCodec.parse(plain, "schema"))))
                .isEqualTo(plain);

        // a store hub's columns not filled yet: said on the column, read back, absent otherwise
        String unfilled = SchemaCodec.write(s.withUnfilled(Map.of("item", Set.of("note"))));
        assertThat(unfilled)
                .contains("{\"name\":\"note\",\"type\":\"text\",\"jdbcType\":12,\"nullable\":true,"
                        + "\"primaryKey\":0,\"unfilled\":true}")
                .containsOnlyOnce("unfilled");
        assertThat(SchemaCodec.read(ChangeCodec.parse(unfilled, "schema"))
                        .tables()
                        .getFirst()
                        .unfilled())
                .containsExactly("note");
        assertThat(SchemaCodec.read(ChangeCodec.parse(plain, "schema"))
                        .tables()
                        .getFirst()
                        .unfilled())
                .isEmpty();
    }

    @Test
    void leases() {
        assertThat(LeaseCodec.request("device key", "node-a"))
                .isEqualTo("{\"deviceKey\":\"device key\",\"nodeUuid\":\"node-a\"}");
        String lease = LeaseCodec.write(new Lease(17, Instant.parse("2025-03-01T10:00:00Z")));
        assertThat(lease).isEqualTo("{\"shortId\":17,\"leaseExpiresAt\":\"2025-03-01T10:00:00Z\"}");
        assertThat(LeaseCodec.read(ChangeCodec.parse(lease, "lease")))
                .isEqualTo(new Lease(17, Instant.parse("2025-03-01T10:00:00Z")));
        assertThatThrownBy(() ->
                        LeaseCodec.read(ChangeCodec.parse("{\"shortId\":1,\"leaseExpiresAt\":\"soon\"}", "lease")))
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("leaseExpiresAt");
    }

    @Test
    void errorsAndEvents() {
        assertThat(ErrorCodec.write(ErrorCode.MALFORMED_PAYLOAD, "changes: \"x\""))
                .isEqualTo("{\"error\":{\"code\":\"MALFORMED_PAYLOAD\",\"message\":\"changes: \\\"x\\\"\"}}");
        assertThat(ErrorCodec.write(ErrorCode.MALFORMED_PAYLOAD, null))
                .isEqualTo("{\"error\":{\"code\":\"MALFORMED_PAYLOAD\",\"message\":\"MALFORMED_PAYLOAD\"}}");
        assertThat(ErrorCodec.write("not_found", "no such path"))
                .isEqualTo("{\"error\":{\"code\":\"not_found\",\"message\":\"no such path\"}}");
        String event = EventCodec.write(new StreamEvent(42));
        assertThat(event).isEqualTo("{\"hubSeq\":42}");
        assertThat(EventCodec.read(ChangeCodec.parse(event, "event"))).isEqualTo(new StreamEvent(42));
    }
}
