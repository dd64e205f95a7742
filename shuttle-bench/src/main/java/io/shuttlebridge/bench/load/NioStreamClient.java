package io.shuttlebridge.bench.load;

import io.shuttlebridge.core.internal.protocol.Protocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Streams on plain non-blocking sockets: the upgrade made by hand (bearer token in its header, the
 * hub's {@code Sec-WebSocket-Accept} checked), then frames read by a few selector threads, one
 * buffer each, pings answered, and a heartbeat sent every {@link StreamFleet#HEARTBEAT} as devices send it. A notification costs a read and a scan of a dozen bytes, and an
 * open stream a socket and a small object, so thousands of them leave the cores and the heap to
 * the hub (java.net.http's WebSocket takes several times as much of both per stream).
 */
final class NioStreamClient implements StreamClient {
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** Upgrades in flight at once while opening. */
    private static final int OPENING = 200;

    private static final int HANDSHAKE_TIMEOUT_MS = 30_000;

    private final Loop[] loops;
    private final List<Conn> conns = new ArrayList<>();
    private volatile boolean closing;
    private StreamFleet fleet;

    NioStreamClient(int threads) {
        loops = new Loop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new Loop();
            Thread t = new Thread(loops[i], "load-streams-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public String description() {
        return "WebSocket on non-blocking sockets, " + loops.length + " selector threads";
    }

    @Override
    public int open(URI hub, String token, StreamFleet fleet) throws InterruptedException {
        this.fleet = fleet;
        String host = hub.getHost();
        int port = hub.getPort() < 0 ? 80 : hub.getPort();
        InetSocketAddress address = new InetSocketAddress(host, port);
        String head = "GET " + Protocol.STREAM + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + (token == null ? "" : "Authorization: Bearer " + token + "\r\n");
        Semaphore inFlight = new Semaphore(OPENING);
        List<Thread> opening = new ArrayList<>(fleet.size());
        for (int i = 0; i < fleet.size(); i++) {
            inFlight.acquire();
            int index = i;
            opening.add(Thread.ofVirtual().start(() -> {
                try {
                    Conn c = upgrade(index, address, head);
                    synchronized (conns) {
                        conns.add(c);
                    }
                    loops[index % loops.length].add(c);
                } catch (IOException | RuntimeException e) {
                    fleet.errors().add("stream open " + e.getClass().getSimpleName(), String.valueOf(e.getMessage()));
                } finally {
                    inFlight.release();
                }
            }));
        }
        for (Thread t : opening) {
            t.join();
        }
        return fleet.openCount();
    }

    /** Connects and upgrades stream {@code index}, blocking; the bytes that came after the answer are kept for its loop. */
    private Conn upgrade(int index, InetSocketAddress address, String head) throws IOException {
        SocketChannel ch = SocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.socket().connect(address, HANDSHAKE_TIMEOUT_MS);
            ch.socket().setSoTimeout(HANDSHAKE_TIMEOUT_MS);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String key = Base64.getEncoder().encodeToString(nonce);
            ch.write(ByteBuffer.wrap(
                    (head + "Sec-WebSocket-Key: " + key + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            InputStream in = ch.socket().getInputStream();
            byte[] buf = new byte[4096];
            int n = 0;
            int end;
            while ((end = headerEnd(buf, n)) < 0) {
                if (n == buf.length) {
                    throw new IOException("the hub's answer to the upgrade has a header over 4 KB");
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) {
                    throw new IOException("the hub closed the connection during the upgrade");
                }
                n += r;
            }
            String header = new String(buf, 0, end, StandardCharsets.ISO_8859_1);
            String status = header.substring(0, Math.max(0, header.indexOf('\r')));
            if (!status.startsWith("HTTP/1.1 101")) {
                String body = new String(buf, end, n - end, StandardCharsets.UTF_8);
                throw new IOException("the hub refused the upgrade: " + status + " " + body);
            }
            if (!accept(key).equals(headerValue(header, "Sec-WebSocket-Accept"))) {
                throw new IOException("the hub's Sec-WebSocket-Accept does not match the key sent");
            }
            ch.configureBlocking(false);
            Conn c = new Conn(index, ch);
            fleet.opened(index);
            if (n > end) {
                c.partial = Arrays.copyOfRange(buf, end, n);
            }
            return c;
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** Where the header ends (after its blank line) in the first {@code n} bytes; -1 when not there yet. */
    private static int headerEnd(byte[] b, int n) {
        for (int i = 3; i < n; i++) {
            if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
                return i + 1;
            }
        }
        return -1;
    }

    /** A header's value in an answer's header block, by case-insensitive name; null when absent. */
    private static String headerValue(String header, String name) {
        for (String line : header.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static String accept(String key) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-1")
                            .digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        closing = true;
        if (fleet != null) {
            fleet.closing();
        }
        for (Loop l : loops) {
            l.selector.wakeup();
        }
        synchronized (conns) {
            for (Conn c : conns) {
                try {
                    c.channel.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }
    }

    private static final ByteBuffer ALIVE = ByteBuffer.wrap(StreamFleet.ALIVE.getBytes(StandardCharsets.UTF_8));

    /** One stream: its socket, a frame cut in two by the reads (rarely), and when it next says it is alive. */
    private static final class Conn {
        final int index;
        final SocketChannel channel;
        byte[] partial;
        long beatAt;

        Conn(int index, SocketChannel channel) {
            this.index = index;
            this.channel = channel;
            // spread over the period, as devices that connected at different times are
            this.beatAt = System.nanoTime() + ThreadLocalRandom.current().nextLong(StreamFleet.HEARTBEAT.toNanos());
        }
    }

    /** A selector thread: reads the frames of its streams as they come. */
    private final class Loop implements Runnable {
        final Selector selector;
        final Queue<Conn> adds = new ConcurrentLinkedQueue<>();
        final ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
        final List<Conn> mine = new ArrayList<>();

        Loop() {
            try {
                selector = Selector.open();
            } catch (IOException e) {
                throw new IllegalStateException("no selector: " + e.getMessage(), e);
            }
        }

        void add(Conn c) {
            adds.add(c);
            selector.wakeup();
        }

        @Override
        public void run() {
            try (selector) {
                while (!closing) {
                    selector.select(this::ready, 1000);
                    heartbeats();
                    for (Conn c = adds.poll(); c != null; c = adds.poll()) {
                        try {
                            mine.add(c);
                            c.channel.register(selector, SelectionKey.OP_READ, c);
                            if (c.partial != null) {
                                byte[] early = c.partial;
                                c.partial = null;
                                frames(c, ByteBuffer.wrap(early), System.nanoTime());
                            }
                        } catch (IOException e) {
                            gone(c, "stream failed " + e.getClass().getSimpleName(), e.getMessage());
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                if (!closing) {
                    fleet.errors().add("stream loop failed " + e.getClass().getSimpleName(), e.getMessage());
                }
            }
        }

        /** Says "alive" on the streams whose time has come. */
        private void heartbeats() {
            long now = System.nanoTime();
            for (Conn c : mine) {
                if (now >= c.beatAt && c.channel.isOpen()) {
                    c.beatAt = now + StreamFleet.HEARTBEAT.toNanos();
                    try {
                        send(c, 0x81, ALIVE, 0, ALIVE.capacity());
                    } catch (IOException e) {
                        gone(c, "stream failed " + e.getClass().getSimpleName(), e.getMessage());
                    }
                }
            }
        }

        private void ready(SelectionKey key) {
            Conn c = (Conn) key.attachment();
            try {
                buf.clear();
                int n = c.channel.read(buf);
                long now = System.nanoTime();
                if (n < 0) {
                    gone(c, "stream closed by the hub without a close frame", "end of stream");
                    return;
                }
                buf.flip();
                if (c.partial != null) {
                    ByteBuffer joined = ByteBuffer.allocate(c.partial.length + buf.remaining());
                    joined.put(c.partial).put(buf).flip();
                    c.partial = null;
                    frames(c, joined, now);
                } else {
                    frames(c, buf, now);
                }
            } catch (IOException e) {
                gone(c, "stream failed " + e.getClass().getSimpleName(), e.getMessage());
            }
        }

        /** Handles the whole frames in {@code b}, keeping a cut one for the next read. */
        private void frames(Conn c, ByteBuffer b, long now) throws IOException {
            while (b.remaining() >= 2) {
                int start = b.position();
                int b0 = b.get(start) & 0xFF;
                int b1 = b.get(start + 1) & 0xFF;
                long len = b1 & 0x7F;
                int header = 2;
                if (len == 126) {
                    if (b.remaining() < 4) {
                        break;
                    }
                    len = b.getShort(start + 2) & 0xFFFF;
                    header = 4;
                } else if (len == 127) {
                    if (b.remaining() < 10) {
                        break;
                    }
                    len = b.getLong(start + 2);
                    header = 10;
                }
                if ((b1 & 0x80) != 0 || len > 1 << 20) {
                    throw new IOException("the hub sent a masked or oversized frame (" + len + " bytes)");
                }
                if (b.remaining() < header + len) {
                    break;
                }
                int payload = start + header;
                frame(c, b0, b, payload, (int) len, now);
                b.position(payload + (int) len);
                if (!c.channel.isOpen()) {
                    return;
                }
            }
            if (b.hasRemaining()) {
                c.partial = new byte[b.remaining()];
                b.get(c.partial);
            }
        }

        private void frame(Conn c, int b0, ByteBuffer b, int at, int len, long now) throws IOException {
            boolean fin = (b0 & 0x80) != 0;
            switch (b0 & 0x0F) {
                case 1 -> {
                    if (!fin) {
                        fleet.errors().add("stream fragmented message", "a notification came in several frames");
                        return;
                    }
                    long seq = -1;
                    for (int i = at; i < at + len; i++) {
                        byte d = b.get(i);
                        if (d >= '0' && d <= '9') {
                            seq = (seq < 0 ? 0 : seq * 10) + (d - '0');
                        } else if (seq >= 0) {
                            break;
                        }
                    }
                    if (seq < 0) {
                        fleet.errors().add("stream message without position", text(b, at, len));
                    } else {
                        fleet.told(c.index, seq, now);
                    }
                }
                case 9 -> send(c, 0x8A, b, at, len); // ping: pong with its payload
                case 10 -> {
                    // pong: nothing to do
                }
                case 8 -> {
                    int code = len >= 2 ? b.getShort(at) & 0xFFFF : 1005;
                    send(c, 0x88, b, at, Math.min(len, 2));
                    gone(c, "stream closed by the hub " + code, len > 2 ? text(b, at + 2, len - 2) : "");
                }
                default -> fleet.errors().add("stream unexpected frame", "opcode " + (b0 & 0x0F));
            }
        }

        /** Sends a short frame (under 126 bytes), masked as a client's frames must be. */
        private void send(Conn c, int b0, ByteBuffer b, int at, int len) throws IOException {
            ByteBuffer out = ByteBuffer.allocate(6 + len);
            out.put((byte) b0).put((byte) (0x80 | len));
            int mask = ThreadLocalRandom.current().nextInt();
            out.putInt(mask);
            for (int i = 0; i < len; i++) {
                out.put((byte) (b.get(at + i) ^ (mask >>> (8 * (3 - (i & 3))))));
            }
            out.flip();
            c.channel.write(out);
            if (out.hasRemaining()) {
                fleet.errors().add("stream control frame not sent", "the socket took part of a " + len + "-byte frame");
            }
        }

        private void gone(Conn c, String kind, String message) {
            fleet.closed(c.index, kind, message);
            try {
                c.channel.close();
            } catch (IOException e) {
                // gone anyway
            }
        }

        private String text(ByteBuffer b, int at, int len) {
            byte[] bytes = new byte[len];
            b.get(at, bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }
}
