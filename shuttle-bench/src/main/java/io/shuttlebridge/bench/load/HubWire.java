package io.shuttlebridge.bench.load;

import io.shuttlebridge.core.internal.protocol.LeaseCodec;
import io.shuttlebridge.core.internal.protocol.Protocol;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The protocol calls of the virtual devices (DESIGN §6), made with one {@link HttpClient} that all
 * of them share (HTTP/1.1 on keep-alive connections, one per device in flight). Unlike a device's
 * {@code HttpTransport} it never retries: a failed call is counted by kind, not hidden. Answers are
 * read by {@link JsonScan}, not decoded.
 */
final class HubWire implements AutoCloseable {
    /** What a device learns from a push answer. */
    record Pushed(long applied, long hubSeq) {}

    /** What a device learns from a pull page: the changes it carried, its next cursor, and whether more wait. */
    record Pulled(int changes, long next, boolean more) {}

    /** A call that failed, with the kind it is counted under. */
    static final class CallFailed extends Exception {
        final String kind;

        CallFailed(String kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }

    private static final String CHANGE = "{\"table\":";
    private static final byte[] MORE = "\"more\":true".getBytes(StandardCharsets.US_ASCII);
    /** A device's request timeout (HttpTransport's default). */
    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    /**
     * The benchmark's own reads between phases wait longer: a hub that fell behind still works through requests
     * the devices gave up on, and the next phase starts once it has.
     */
    private static final Duration BETWEEN_PHASES = Duration.ofMinutes(10);
    /** A hub whose request counters stay still this long has nothing more to do. */
    private static final Duration IDLE = Duration.ofSeconds(5);

    private final HttpClient http;
    private final URI base;
    private final String bearer;
    private final URI push;
    private final URI lease;
    private final AtomicLong syncCalls = new AtomicLong();

    HubWire(URI hub, String token) {
        String b = hub.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.bearer = token == null ? null : "Bearer " + token;
        this.push = URI.create(base + Protocol.PUSH);
        this.lease = URI.create(base + Protocol.LEASE);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    URI base() {
        return base;
    }

    /** Leases a short id for the device key and binds the node to the token's subject. */
    void lease(String deviceKey, String nodeUuid) throws CallFailed {
        call("lease", post(lease, LeaseCodec.request(deviceKey, nodeUuid).getBytes(StandardCharsets.UTF_8)));
    }

    /** Posts an encoded push body. */
    Pushed push(byte[] body) throws CallFailed {
        syncCalls.incrementAndGet();
        byte[] answer = call("push", post(push, body));
        return new Pushed(JsonScan.firstNumber(answer, "applied", -1), JsonScan.firstNumber(answer, "hubSeq", -1));
    }

    /** One page of changes after {@code since}, excluding the node's own. */
    Pulled pull(String node, long since, int limit) throws CallFailed {
        syncCalls.incrementAndGet();
        byte[] page = call("pull", get(URI.create(base + Protocol.PULL + "?since=" + since + "&limit=" + limit), node));
        return new Pulled(
                JsonScan.count(page, CHANGE),
                JsonScan.lastNumber(page, "next", since),
                JsonScan.indexOf(page, MORE, Math.max(0, page.length - 256)) >= 0);
    }

    /**
     * The hub feed's position now, as a snapshot page states it (one row asked for), waiting up to
     * {@link #BETWEEN_PHASES} for the answer, three times; failed tries are counted.
     */
    long feedPosition(String node, Errors errors) throws CallFailed {
        for (int attempt = 1; ; attempt++) {
            try {
                return feedPosition(node);
            } catch (CallFailed e) {
                errors.add(e.kind, e.getMessage());
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    private long feedPosition(String node) throws CallFailed {
        byte[] page =
                call("snapshot", get(URI.create(base + Protocol.SNAPSHOT + "?after=0&limit=1"), node, BETWEEN_PHASES));
        long seq = JsonScan.lastNumber(page, "hubSeq", -1);
        if (seq < 0) {
            throw new CallFailed("snapshot without hubSeq", "the hub's snapshot page does not say its feed position");
        }
        return seq;
    }

    /** The hub's own count of open streams from {@code /metrics}; -1 when it does not say. */
    long openStreamsOnHub() throws CallFailed {
        for (String line : metrics()) {
            if (line.startsWith("shuttle_streams_open")) {
                return (long) value(line);
            }
        }
        return -1;
    }

    /** What {@link #awaitServed} saw: how long it waited, and how many pushes and pulls the hub never counted. */
    record Backlog(double seconds, long uncounted) {}

    /**
     * Waits until the hub has finished the pushes and pulls sent to it (those the devices gave up on too: a
     * hub that fell behind goes on with them), as the request counters of its {@code /metrics} show, so that
     * the next phase does not pay for the last one. It stops waiting once the counters reach what was sent,
     * or stay still for {@link #IDLE} (requests dropped with their connection are never counted), or after
     * {@code max}; null when the hub does not count requests.
     */
    Backlog awaitServed(Duration max, Errors errors) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + max.toNanos();
        long last = -1;
        long still = t0;
        try {
            while (true) {
                long served = servedSyncCalls();
                long now = System.nanoTime();
                if (served < 0) {
                    return null;
                }
                if (served != last) {
                    last = served;
                    still = now;
                }
                long sent = syncCalls.get();
                boolean done = served >= sent || now - still > IDLE.toNanos();
                if (done || now > deadline) {
                    if (!done) {
                        errors.add(
                                "hub still busy",
                                "the hub had finished " + served + " of " + sent + " pushes and pulls "
                                        + max.toSeconds() + " s after the phase");
                    }
                    return new Backlog((now - t0) / 1e9, Math.max(0, sent - served));
                }
                Thread.sleep(200);
            }
        } catch (CallFailed e) {
            errors.add(e.kind, e.getMessage());
            return null;
        }
    }

    /** Pushes and pulls the hub finished, whatever their answer, from its request counters; -1 when it has none. */
    private long servedSyncCalls() throws CallFailed {
        double n = -1;
        for (String line : metrics()) {
            if (line.startsWith("shuttle_http_requests_seconds_count{")
                    && (line.contains("route=\"" + Protocol.PUSH + "\"")
                            || line.contains("route=\"" + Protocol.PULL + "\""))) {
                n = Math.max(n, 0) + value(line);
            }
        }
        return (long) n;
    }

    /** The hub's counters ({@code /metrics} lines of names ending in {@code _total}, with their labels). */
    Map<String, Double> counters() throws CallFailed {
        Map<String, Double> out = new TreeMap<>();
        for (String line : metrics()) {
            int space = line.lastIndexOf(' ');
            int brace = line.indexOf('{');
            String name = brace < 0 || brace > space ? line.substring(0, Math.max(0, space)) : line.substring(0, brace);
            if (!line.startsWith("#") && space > 0 && name.endsWith("_total")) {
                out.put(line.substring(0, space).replace(",}", "}"), value(line));
            }
        }
        return out;
    }

    private String[] metrics() throws CallFailed {
        byte[] text = call("metrics", get(URI.create(base + Protocol.METRICS), null, BETWEEN_PHASES));
        return new String(text, StandardCharsets.UTF_8).split("\n");
    }

    private static double value(String line) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    private HttpRequest post(URI uri, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(TIMEOUT)
                .header("Content-Type", Protocol.JSON)
                .header("Accept", Protocol.JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return b.build();
    }

    private HttpRequest get(URI uri, String node) {
        return get(uri, node, TIMEOUT);
    }

    private HttpRequest get(URI uri, String node, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (node != null) {
            b.header(Protocol.NODE_HEADER, node);
        }
        if (bearer != null) {
            b.header("Authorization", bearer);
        }
        return b.build();
    }

    private byte[] call(String what, HttpRequest req) throws CallFailed {
        HttpResponse<byte[]> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CallFailed(what + " " + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailed(what + " interrupted", "interrupted");
        }
        int status = res.statusCode();
        if (status / 100 == 2) {
            return res.body();
        }
        String code = JsonScan.firstText(res.body(), "code");
        throw new CallFailed(
                what + " " + status + (code == null ? "" : " " + code), new String(res.body(), StandardCharsets.UTF_8));
    }
}
