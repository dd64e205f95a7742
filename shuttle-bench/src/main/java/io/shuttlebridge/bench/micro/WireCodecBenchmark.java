package io.shuttlebridge.bench.micro;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.protocol.WireCodec;
import io.shuttlebridge.core.sync.PullResult;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The wire codec on a page of changes shaped like the benchmarks' item rows (an integer key, text,
 * a decimal, an integer): encoding a push request, decoding it the fast way (straight from bytes, as
 * the hub does) and the tree way (Jackson's tree, the fallback), and encoding and decoding a pull page
 * (as a device does when it bootstraps). Times are per page; divide by {@code changes} for one change.
 *
 * <p>Run: {@code ./shuttle bench micro WireCodec} (JMH options may follow: {@code -f 1 -wi 2 -i 3}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class WireCodecBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Param({"100", "10000"})
    public int changes;

    private String node;
    private List<Change> page;
    private byte[] pushBody;
    private byte[] pullBody;

    @Setup
    public void setUp() {
        node = UUID.nameUUIDFromBytes(new byte[] {1}).toString();
        page = new ArrayList<>(changes);
        long hlc = Hlc.pack(1_800_000_000_000L, 0);
        for (int i = 0; i < changes; i++) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("id", (long) i);
            values.put("sku", "SKU-" + (100_000 + i));
            values.put("name", "item number " + i + " with a name of ordinary length");
            values.put("price", new BigDecimal(i % 1000 + ".95"));
            values.put("qty", (long) (i % 17));
            page.add(new Change("item", List.of((long) i), Op.UPSERT, values, hlc + i, node, 1, 0, Map.of()));
        }
        pushBody = WireCodec.pushRequestBytes(node, page);
        pullBody = WireCodec.pullResultBytes(new PullResult(page, changes, false, false), changes);
    }

    @Benchmark
    public byte[] encodePush() {
        return WireCodec.pushRequestBytes(node, page);
    }

    @Benchmark
    public WireCodec.PushRequest decodePushFast() {
        return WireCodec.readPushRequest(pushBody, Integer.MAX_VALUE);
    }

    @Benchmark
    public WireCodec.PushRequest decodePushTree() throws Exception {
        return WireCodec.pushRequest(JSON.readTree(pushBody), Integer.MAX_VALUE);
    }

    @Benchmark
    public byte[] encodePullPage() {
        return WireCodec.pullResultBytes(new PullResult(page, changes, false, false), changes);
    }

    @Benchmark
    public WireCodec.Page decodePullPageFast() {
        return WireCodec.readPage(pullBody);
    }
}
