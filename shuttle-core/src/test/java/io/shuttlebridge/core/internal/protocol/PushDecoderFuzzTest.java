package io.shuttlebridge.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.fuzz.SeededFuzz;
import io.shuttlebridge.core.id.Hlc;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The push decoder against mutated push bodies, as the hub reads them: the fast reader first
 * ({@link WireCodec#readPushRequest}), the tree reader ({@link WireCodec#pushRequest(JsonNode, int)})
 * for what it gives up on. Every input either decodes or is refused with MALFORMED_PAYLOAD or
 * INVALID_ARGUMENT (or is not JSON at all, which the hub answers MALFORMED_PAYLOAD); nothing throws
 * anything else, nothing hangs, and whatever the fast reader takes the tree reader takes too, as the
 * same changes. Bounds and seed: {@code -Dfuzz.inputs}, {@code -Dfuzz.seconds}, {@code -Dfuzz.seed}.
 */
class PushDecoderFuzzTest {
    private static final int MAX_BATCH = 100;
    /** Parses as the hub's body reader does: one JSON value, nothing after it. */
    private static final ObjectMapper TREE = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.MALFORMED_PAYLOAD, ErrorCode.INVALID_ARGUMENT);

    @Test
    void everyMutatedPushDecodesOrIsRefusedAsMalformed() {
        SeededFuzz.Settings settings = SeededFuzz.Settings.fromSystemProperties();
        AtomicInteger decoded = new AtomicInteger();
        AtomicInteger fast = new AtomicInteger();
        SeededFuzz.Summary s = assertTimeoutPreemptively(
                settings.budget().plusSeconds(60),
                () -> SeededFuzz.run("push-decoder", settings, SeededFuzz.mutating(seeds()), input -> {
                    Outcome o = decode(input);
                    if (o != Outcome.REFUSED) {
                        decoded.incrementAndGet();
                    }
                    if (o == Outcome.FAST) {
                        fast.incrementAndGet();
                    }
                }));
        System.out.printf(
                "push-decoder: %d decoded (%d by the fast reader), %d refused%n",
                decoded.get(), fast.get(), s.inputs() - decoded.get());
        assertThat(s.inputs()).isPositive();
        if (s.inputs() >= 1_000) { // not a replay of one input
            assertThat(decoded.get()).as("some mutations still decode").isPositive();
            assertThat(fast.get()).as("some by the fast reader").isPositive();
            assertThat(s.inputs() - decoded.get()).as("most are refused").isPositive();
        }
    }

    @Test
    void theSeedsThemselvesDecodeTheSameBothWays() {
        for (byte[] seed : seeds()) {
            assertThat(decode(seed)).isEqualTo(Outcome.FAST);
        }
    }

    private enum Outcome {
        FAST,
        TREE,
        REFUSED
    }

    /**
     * The hub's decoding of a push body, checked on the way. The hub refuses a body that is not
     * well-formed UTF-8 before decoding it ({@link Utf8}); the readers still get such bodies here, and
     * must not throw, but need not agree on them.
     */
    private static Outcome decode(byte[] body) {
        boolean utf8 = Utf8.firstInvalid(body) < 0;
        WireCodec.PushRequest quick = WireCodec.readPushRequest(body, MAX_BATCH); // never throws
        JsonNode tree;
        try {
            tree = TREE.readTree(body);
        } catch (JsonProcessingException e) {
            if (quick != null && utf8) {
                fail("the fast reader took a body that is not JSON: " + e.getOriginalMessage());
            }
            return Outcome.REFUSED; // the hub answers MALFORMED_PAYLOAD
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        WireCodec.PushRequest full;
        try {
            full = WireCodec.pushRequest(tree, MAX_BATCH);
        } catch (ShuttleException e) {
            assertThat(e.code()).as(e.getMessage()).isIn(REFUSALS);
            assertThat(e.getMessage()).isNotBlank();
            if (quick != null && utf8) {
                fail("the fast reader took a body the tree reader refuses: " + e.getMessage());
            }
            return Outcome.REFUSED;
        }
        if (!utf8) {
            return Outcome.REFUSED;
        }
        assertThat(full.changes()).hasSizeLessThanOrEqualTo(MAX_BATCH);
        if (quick == null) {
            return Outcome.TREE;
        }
        assertThat(WireCodec.pushRequest(quick.nodeUuid(), quick.changes()))
                .as("the fast and the tree reader read the same changes")
                .isEqualTo(WireCodec.pushRequest(full.nodeUuid(), full.changes()));
        return Outcome.FAST;
    }

    /** A map in the order given: the seeds, and so every input of a seed, are the same bytes on every run. */
    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    /** Valid pushes with every kind of value, a DELETE, column stamps, and one change at the size limit. */
    static List<byte[]> seeds() {
        String node =
                UUID.nameUUIDFromBytes("fuzz".getBytes(StandardCharsets.UTF_8)).toString();
        long hlc = Hlc.pack(1_750_000_000_000L, 3);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("id", 7L);
        values.put("name", "café ☃ \u0000 \"quoted\" \\");
        values.put("balance", new BigDecimal("12.50"));
        values.put("ratio", 0.25);
        values.put("inf", Double.NEGATIVE_INFINITY);
        values.put("blob", new byte[] {0, 1, (byte) 0xFF});
        values.put("flag", true);
        values.put("none", null);
        Change upsert = new Change("customer", List.of(7L), Op.UPSERT, values, hlc, node, 2, 1, Map.of());
        Change delete = new Change("orders", List.of(3L, "x"), Op.DELETE, Map.of(), hlc + 1, node, 5, 4, Map.of());
        Change stamped = new Change(
                "customer",
                List.of(8L),
                Op.UPSERT,
                ordered("id", 8L, "name", "n"),
                hlc + 2,
                node,
                1,
                0,
                Map.of("name", new Stamp(hlc, node)));
        List<Change> many = new ArrayList<>();
        for (int i = 0; i < MAX_BATCH; i++) {
            many.add(new Change("t", List.of((long) i), Op.UPSERT, ordered("id", (long) i), hlc, node, 1, 0, Map.of()));
        }
        return List.of(
                WireCodec.pushRequestBytes(node, List.of(upsert)),
                WireCodec.pushRequestBytes(node, List.of(upsert, delete, stamped)),
                WireCodec.pushRequestBytes(node, List.of(delete)),
                WireCodec.pushRequestBytes(node, List.of()),
                WireCodec.pushRequestBytes(node, many));
    }
}
