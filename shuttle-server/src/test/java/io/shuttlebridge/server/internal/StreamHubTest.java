package io.shuttlebridge.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.server.auth.Subject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * What the stream counts: a stream whose write is slow hears the latest position once its write is done
 * (the ones between are coalesced); a stream dropped because a write failed loses the notification being
 * written and the one waiting behind it (dropped notifications); the others go on being told.
 */
class StreamHubTest {
    private static final Subject DEVICE = new Subject("device", Map.of(), Set.of(), null);

    /** A stream whose writes complete when the test says so. */
    private static final class HeldPeer implements StreamHub.Peer {
        final String id;
        final List<String> sent = new ArrayList<>();
        Runnable done;
        Consumer<Throwable> fail;

        HeldPeer(String id) {
            this.id = id;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public synchronized void send(String text, Runnable written, Consumer<Throwable> failed) {
            sent.add(text);
            done = written;
            fail = failed;
        }

        @Override
        public void close(int code, String reason) {}

        synchronized void complete() {
            Runnable r = done;
            done = null;
            r.run();
        }

        synchronized void breakIt() {
            Consumer<Throwable> f = fail;
            fail = null;
            f.accept(new java.io.IOException("connection reset"));
        }

        synchronized int writes() {
            return sent.size();
        }
    }

    @Test
    void slowStreamsAreCoalescedAndADroppedStreamCountsWhatItNeverGot() throws Exception {
        AtomicInteger open = new AtomicInteger();
        StreamHub hub = new StreamHub(open, new RequestAuth(null), Duration.ofMinutes(1));
        try {
            HeldPeer slow = new HeldPeer("slow");
            HeldPeer broken = new HeldPeer("broken");
            hub.opened("slow", slow, DEVICE);
            hub.opened("broken", broken, DEVICE);
            assertThat(open.get()).isEqualTo(2);
            // each is being told the position it connected at; three positions follow meanwhile
            hub.advanced(1);
            Thread.sleep(200); // the fan-out thread hands it over: it waits behind the write, nothing replaced
            assertThat(hub.coalesced()).isZero();
            hub.advanced(2);
            awaitCoalesced(hub, 2);
            hub.advanced(3);
            awaitCoalesced(hub, 4);
            assertThat(hub.coalesced())
                    .as("positions 1 and 2 replaced while waiting, on both streams")
                    .isEqualTo(4);
            slow.complete(); // the connect position written: the latest waiting one (3) goes next
            assertThat(slow.writes()).isEqualTo(2);
            assertThat(slow.sent.get(1)).contains("3");
            broken.breakIt(); // its write failed with position 3 waiting behind it
            assertThat(hub.dropped()).isEqualTo(1);
            assertThat(hub.droppedNotifications())
                    .as("the one being written and the one waiting")
                    .isEqualTo(2);
            assertThat(open.get()).isEqualTo(1);
            slow.complete();
            assertThat(hub.sent()).isEqualTo(2);
            hub.advanced(4);
            long end = System.currentTimeMillis() + 5_000;
            while (slow.writes() < 3 && System.currentTimeMillis() < end) {
                Thread.sleep(10);
            }
            assertThat(slow.writes()).as("the other stream goes on being told").isEqualTo(3);
            assertThat(broken.writes()).isEqualTo(1);
        } finally {
            hub.closeAll();
        }
    }

    private static void awaitCoalesced(StreamHub hub, long n) throws InterruptedException {
        long end = System.currentTimeMillis() + 5_000;
        while (hub.coalesced() < n && System.currentTimeMillis() < end) {
            Thread.sleep(10);
        }
    }
}
