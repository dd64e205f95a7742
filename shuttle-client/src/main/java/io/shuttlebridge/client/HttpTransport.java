package io.shuttlebridge.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.shuttlebridge.client.internal.HttpCaller;
import io.shuttlebridge.client.internal.MovedPages;
import io.shuttlebridge.client.internal.PushRequests;
import io.shuttlebridge.client.internal.TrustedCertificates;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.protocol.HubSchema;
import io.shuttlebridge.core.internal.protocol.LeaseCodec;
import io.shuttlebridge.core.internal.protocol.Protocol;
import io.shuttlebridge.core.internal.protocol.PushResultCodec;
import io.shuttlebridge.core.internal.protocol.RowDiffCodec;
import io.shuttlebridge.core.internal.protocol.SchemaCodec;
import io.shuttlebridge.core.internal.protocol.StandingHeaders;
import io.shuttlebridge.core.internal.protocol.WireCodec;
import io.shuttlebridge.core.protocol.HubLimits;
import io.shuttlebridge.core.protocol.Lease;
import io.shuttlebridge.core.sync.KeyDigest;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.RowDiff;
import io.shuttlebridge.core.sync.RowSet;
import io.shuttlebridge.core.sync.Standing;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.core.sync.Transport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/**
 * A hub reached over HTTP (protocol v1) with {@code java.net.http}: gzip (see {@link Compression}), timeouts, and retries
 * with exponential backoff and jitter on network errors and 5xx answers (a 503 from a busy hub after the {@code
 * Retry-After} it asks for, up to a minute), never on 4xx but 429 (rate limited), which is retried after the {@code
 * Retry-After} the hub asks for (up to a minute) within the same attempts.
 *
 * <pre>{@code
 * HttpTransport hub = HttpTransport.builder(URI.create("http://hub:7070")).token("s3cret").build();
 * engine.pullThenPush(hub);
 * }</pre>
 */
public final class HttpTransport implements Transport {
    private final HttpCaller caller;
    private final MovedPages movedPages = new MovedPages(this::movedPage);

    private HttpTransport(Builder b) {
        HttpClient.Builder client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(b.connectTimeout);
        if (b.sslContext != null) {
            client.sslContext(b.sslContext); // the stream's WebSocket (wss://) is opened by this client too
        }
        HttpClient http = client.build();
        this.caller = new HttpCaller(
                b.hub, b.tokens, http, b.requestTimeout, b.backoff, b.sleeper, b.compression.gzip(b.hub), b.clock);
    }

    public static Builder builder(URI hub) {
        return new Builder(hub);
    }

    public URI hub() {
        return caller.base();
    }

    /** Whether answers are asked for gzip-compressed. */
    public enum Compression {
        /**
         * Gzip, except when the hub is on this machine (a loopback address): compression trades
         * processor time for bandwidth, and on loopback there is no bandwidth to save.
         */
        AUTO,
        ALWAYS,
        NEVER;

        /** Whether answers from this hub are asked for gzip-compressed. */
        public boolean gzip(URI hub) {
            return this == ALWAYS || (this == AUTO && !isLoopback(hub.getHost()));
        }

        /** {@code localhost}, 127.x.x.x or ::1, told from the URL alone (no name lookup). */
        static boolean isLoopback(String host) {
            if (host == null) {
                return false;
            }
            String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            return h.equalsIgnoreCase("localhost")
                    || h.matches("127(\\.\\d{1,3}){3}")
                    || h.equals("::1")
                    || h.equals("0:0:0:0:0:0:0:1");
        }
    }

    /** A page of the snapshot with the hub's feed position at the time, for progress. */
    public record SnapshotPage(PullResult page, long hubSeq) {}

    @Override
    public PushResult push(String fromNode, List<Change> changes) {
        return preparePush(fromNode, changes).send();
    }

    /**
     * Encodes the request now; sending posts the bytes. A batch larger than the hub takes (more
     * changes, or more bytes, than its announced {@link HubLimits}) goes as several requests, in
     * order, each applied atomically; the result adds theirs up. When one fails the whole batch
     * counts as not pushed, and pushing it again is harmless (a push is idempotent).
     */
    @Override
    public PreparedPush preparePush(String fromNode, List<Change> changes) {
        return preparePush(fromNode, changes, Map.of());
    }

    /** {@link #preparePush(String, List)} showing the device's standing in the headers of every request. */
    @Override
    public PreparedPush preparePush(String fromNode, List<Change> changes, Standing standing) {
        return preparePush(fromNode, changes, StandingHeaders.of(standing));
    }

    private PreparedPush preparePush(String fromNode, List<Change> changes, Map<String, String> headers) {
        List<PushRequests.Request> requests = PushRequests.requests(fromNode, changes, limits());
        return () -> {
            PushResult sum = null;
            int offset = 0;
            for (PushRequests.Request request : requests) {
                HttpCaller.Answer a = caller.postAnswer(Protocol.PUSH, request.body(), headers);
                PushResult r = PushResultCodec.read(
                                HttpCaller.parse(a.body(), "POST", caller.base().resolve(Protocol.PUSH)))
                        .withTicket(ticket(a));
                sum = sum == null ? r : PushRequests.add(sum, r, offset);
                offset += request.changes();
            }
            return sum;
        };
    }

    /** The hub's push limits, read from its schema on first use. */
    public HubLimits limits() {
        HubLimits l = limits;
        if (l == null) {
            schema();
            l = limits;
        }
        return l;
    }

    private volatile HubLimits limits;

    /** Pulls say the device takes {@link PullResult#movedIn}. */
    @Override
    public PullResult pull(String forNode, long since, int limit) {
        return page(Protocol.PULL + "?since=" + since + "&limit=" + limit + "&moves=1", forNode)
                .result();
    }

    /** {@link #pull(String, long, int)} showing the device's standing in the request's headers. */
    @Override
    public PullResult pull(String forNode, long since, int limit, Standing standing) {
        Map<String, String> headers = new LinkedHashMap<>(node(forNode));
        headers.putAll(StandingHeaders.of(standing));
        String path = Protocol.PULL + "?since=" + since + "&limit=" + limit + "&moves=1";
        HttpCaller.Answer a = caller.getAnswer(path, headers);
        return page(path, a.body()).result().withTicket(ticket(a));
    }

    /** The ticket an answer's header carries ({@link Standing}); 0 when it has none. */
    private static long ticket(HttpCaller.Answer a) {
        return a.header(Protocol.TICKET_HEADER)
                .map(v -> {
                    try {
                        return Math.max(0, Long.parseLong(v.strip()));
                    } catch (NumberFormatException e) {
                        throw new ShuttleException(
                                ErrorCode.MALFORMED_PAYLOAD,
                                "the hub's " + Protocol.TICKET_HEADER + " is not a number: '" + v + "'");
                    }
                })
                .orElse(0L);
    }

    @Override
    public PullResult snapshot(String forNode, long after, int limit) {
        return snapshotPage(forNode, after, limit).page();
    }

    @Override
    public PullResult snapshot(String forNode, long after, int limit, Set<String> tables) {
        String names = tables.stream()
                .map(t -> URLEncoder.encode(t, StandardCharsets.UTF_8))
                .collect(Collectors.joining(","));
        return page(Protocol.SNAPSHOT + "?after=" + after + "&limit=" + limit + "&tables=" + names, forNode)
                .result();
    }

    @Override
    public Optional<KeyDigest> rowDigest(String forNode, String table) {
        return Optional.of(WireCodec.digest(caller.get(
                Protocol.DIGEST + "?table=" + URLEncoder.encode(table, StandardCharsets.UTF_8), node(forNode))));
    }

    /** Empty from a hub without {@code /v1/sync/diff} (an older one) or one that finds the body too large. */
    @Override
    public Optional<RowDiff> rowDiff(String forNode, String table, RowSet have, int limit) {
        byte[] answer;
        try {
            answer = caller.postAnswer(Protocol.DIFF, RowDiffCodec.request(table, have, limit), node(forNode))
                    .body();
        } catch (ShuttleException e) {
            // an older hub has no such endpoint; a table not synced there is refused again by the snapshot
            if (e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.PAYLOAD_TOO_LARGE) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(RowDiffCodec.answer(
                HttpCaller.parse(answer, "POST", caller.base().resolve(Protocol.DIFF))));
    }

    /**
     * Empty from a hub without {@code /v1/sync/moved} (an older one) or one that reconciles the table whole. The
     * next page is fetched while the engine applies this one ({@link MovedPages}).
     */
    @Override
    public Optional<PullResult> movedRows(String forNode, String table, long since, long after, int limit) {
        return movedPages.page(forNode, table, since, after, limit);
    }

    private Optional<PullResult> movedPage(String forNode, String table, long since, long after, int limit) {
        String path = Protocol.MOVED + "?table=" + URLEncoder.encode(table, StandardCharsets.UTF_8) + "&since=" + since
                + "&after=" + after + "&limit=" + limit;
        try {
            return Optional.of(page(path, forNode).result());
        } catch (ShuttleException e) {
            if (e.code() == ErrorCode.NOT_FOUND || e.code() == ErrorCode.INVALID_ARGUMENT) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public SnapshotPage snapshotPage(String forNode, long after, int limit) {
        WireCodec.Page p = page(Protocol.SNAPSHOT + "?after=" + after + "&limit=" + limit, forNode);
        return new SnapshotPage(p.result(), p.hubSeq());
    }

    /** Reads a page straight from the bytes; one in another form goes through the tree reader, which says what is wrong. */
    private WireCodec.Page page(String path, String forNode) {
        return page(path, node(forNode));
    }

    private WireCodec.Page page(String path, Map<String, String> headers) {
        return page(path, caller.getBytes(path, headers));
    }

    private WireCodec.Page page(String path, byte[] body) {
        WireCodec.Page fast = WireCodec.readPage(body);
        if (fast != null) {
            return fast;
        }
        JsonNode tree = HttpCaller.parse(body, "GET", caller.base().resolve(path));
        return new WireCodec.Page(
                WireCodec.pullResult(tree), tree.path("hubSeq").asLong(-1));
    }

    HubSchema schema() {
        JsonNode doc = caller.get(Protocol.SCHEMA, Map.of());
        limits = SchemaCodec.limits(doc);
        clockBound = SchemaCodec.maxClockSkew(doc).orElse(SyncEngine.DEFAULT_MAX_CLOCK_SKEW);
        HubSchema schema = SchemaCodec.read(doc);
        hubNode = schema.hubNode();
        return schema;
    }

    /**
     * Reads the hub's schema and gives the device the tables and columns it gained (created through the
     * same type mapping as a clone), then has the device's engine take them ({@link SyncEngine#refreshSchema()});
     * a table the hub took again after a destructive change is cloned again.
     */
    @Override
    public boolean followSchema(SyncEngine device) {
        if (!"sqlite"
                .equals(io.shuttlebridge.core.internal.dialect.Dialects.of(device.database())
                        .name())) {
            return false; // a tier hub on PostgreSQL: its own tables are changed by its owner
        }
        io.shuttlebridge.client.internal.DeviceSchema.follow(device, this, schema());
        return true;
    }

    /** The hub's node uuid, read from its schema on first use. */
    @Override
    public String hubNode() {
        String n = hubNode;
        if (n == null) {
            schema();
            n = hubNode;
        }
        return n;
    }

    private volatile String hubNode;

    /**
     * This device's clock against the hub's, as the last answer of the hub measured it (every answer
     * carries the hub's time), with the hub's skew bound as its schema announces it; empty before the
     * first answer, or with a hub that does not say its time.
     */
    public Optional<ClockOffset> clockOffset() {
        HttpCaller.HubTime t = caller.lastHubTime();
        if (t == null) {
            return Optional.empty();
        }
        Duration bound = clockBound;
        return Optional.of(new ClockOffset(
                t.offsetMillis(),
                t.roundTripMillis(),
                Instant.ofEpochMilli(t.atMillis()),
                bound == null ? SyncEngine.DEFAULT_MAX_CLOCK_SKEW : bound));
    }

    private volatile Duration clockBound;

    public Lease lease(String deviceKey, String nodeUuid) {
        return LeaseCodec.read(caller.post(Protocol.LEASE, LeaseCodec.request(deviceKey, nodeUuid)));
    }

    /** The stream URI ({@code ws://} or {@code wss://}) and what it takes to open it. */
    URI streamUri() {
        String base = caller.base().toString();
        return URI.create(base.replaceFirst("^http", "ws") + Protocol.STREAM);
    }

    HttpCaller caller() {
        return caller;
    }

    private static Map<String, String> node(String uuid) {
        return Map.of(Protocol.NODE_HEADER, URLEncoder.encode(uuid, StandardCharsets.UTF_8));
    }

    /** Validated settings. */
    public static final class Builder {
        private final URI hub;
        private TokenProvider tokens = TokenProvider.of(null);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration requestTimeout = Duration.ofSeconds(120);
        private Backoff backoff = Backoff.DEFAULT;
        private Backoff.Sleeper sleeper = Backoff.Sleeper.REAL;
        private Compression compression = Compression.AUTO;
        private SSLContext sslContext;
        private MillisClock clock = MillisClock.system();

        private Builder(URI hub) {
            Objects.requireNonNull(hub, "hub");
            if (!"http".equals(hub.getScheme()) && !"https".equals(hub.getScheme())) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT, "the hub URL must start with http:// or https://, got " + hub);
            }
            this.hub = hub;
        }

        /** The one bearer token every request carries; null or blank for none. */
        public Builder token(String t) {
            tokens = TokenProvider.of(t);
            return this;
        }

        /** Asks {@code p} for the token of every request (a token that is refreshed while the device runs). */
        public Builder tokenProvider(TokenProvider p) {
            tokens = Objects.requireNonNull(p, "token provider");
            return this;
        }

        public Builder connectTimeout(Duration d) {
            connectTimeout = Objects.requireNonNull(d);
            return this;
        }

        public Builder requestTimeout(Duration d) {
            requestTimeout = Objects.requireNonNull(d);
            return this;
        }

        public Builder backoff(Backoff b) {
            backoff = Objects.requireNonNull(b);
            return this;
        }

        public Builder sleeper(Backoff.Sleeper s) {
            sleeper = Objects.requireNonNull(s);
            return this;
        }

        /** Whether to ask for gzip-compressed answers (default {@link Compression#AUTO}: yes, unless the hub is on loopback). */
        public Builder compression(Compression c) {
            compression = Objects.requireNonNull(c);
            return this;
        }

        /**
         * For an {@code https://} hub, trusts the certificates of this PEM file (its own CA, or its self-signed
         * certificate) instead of the JVM's default trust store; a file missing or holding no certificate is an
         * {@link ErrorCode#INVALID_ARGUMENT} naming it.
         */
        public Builder trustCertificates(Path pem) {
            sslContext = TrustedCertificates.sslContext(Objects.requireNonNull(pem, "pem"));
            return this;
        }

        /** The TLS context of {@code https://} and {@code wss://} connections (default: the JVM's). */
        public Builder sslContext(SSLContext context) {
            sslContext = Objects.requireNonNull(context, "context");
            return this;
        }

        /** This device's clock, which the hub's time on its answers is measured against ({@link #clockOffset}); the system clock by default. */
        public Builder clock(MillisClock c) {
            clock = Objects.requireNonNull(c);
            return this;
        }

        public HttpTransport build() {
            return new HttpTransport(this);
        }
    }
}
