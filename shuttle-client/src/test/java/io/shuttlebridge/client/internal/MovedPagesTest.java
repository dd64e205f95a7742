package io.shuttlebridge.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.sync.PullResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A move-in's pages are each asked for while the one before is applied; what the engine asks for is what
 * it gets, whatever was fetched ahead.
 */
class MovedPagesTest {
    /** A hub holding {@code rows} moved rows, answering a page as the rows' range (next = after + rows sent). */
    private static final class Hub implements MovedPages.Fetch {
        final long rows;
        final List<String> asked = new ArrayList<>();
        /** The request (counted from 1) that fails, 0 for none. */
        volatile int failing;

        volatile CountDownLatch second = new CountDownLatch(1);

        Hub(long rows) {
            this.rows = rows;
        }

        @Override
        public synchronized Optional<PullResult> page(String forNode, String table, long since, long after, int limit) {
            asked.add(after + "+" + limit);
            if (asked.size() == 2) {
                second.countDown();
            }
            if (asked.size() == failing) {
                throw new ShuttleException(ErrorCode.TRANSPORT, "connection reset");
            }
            long next = Math.min(rows, after + limit);
            return Optional.of(new PullResult(List.of(), next, next < rows, false));
        }

        synchronized List<String> asked() {
            return List.copyOf(asked);
        }
    }

    @Test
    void everyPageArrivesOnceInOrder() {
        Hub hub = new Hub(25_000);
        MovedPages pages = new MovedPages(hub);
        List<Long> cursors = new ArrayList<>();
        long after = 0;
        while (true) {
            PullResult p = pages.page("n", "task", 7, after, 10_000).orElseThrow();
            cursors.add(p.next());
            if (!p.more()) {
                break;
            }
            after = p.next();
        }
        assertThat(cursors).containsExactly(10_000L, 20_000L, 25_000L);
        assertThat(hub.asked()).containsExactly("0+10000", "10000+10000", "20000+10000");
    }

    @Test
    void theNextPageIsAskedForBeforeTheEngineAsks() throws Exception {
        Hub hub = new Hub(5_000);
        MovedPages pages = new MovedPages(hub);
        PullResult first = pages.page("n", "task", 7, 0, 1_000).orElseThrow();
        assertThat(first.more()).isTrue();
        // the engine has not asked for the second page yet: it is on its way
        assertThat(hub.second.await(10, TimeUnit.SECONDS)).isTrue();
        PullResult second = pages.page("n", "task", 7, first.next(), 1_000).orElseThrow();
        assertThat(second.next()).isEqualTo(2_000);
        assertThat(hub.asked()).startsWith("0+1000", "1000+1000");
    }

    @Test
    void aPageAskedForOtherwiseThanFetchedAheadIsFetchedAsAsked() throws Exception {
        Hub hub = new Hub(5_000);
        MovedPages pages = new MovedPages(hub);
        pages.page("n", "task", 7, 0, 1_000).orElseThrow();
        hub.second.await(10, TimeUnit.SECONDS);
        // another cursor (a page of another table, a move-in started over): the page fetched ahead is not it
        PullResult other = pages.page("n", "project", 7, 0, 1_000).orElseThrow();
        assertThat(other.next()).isEqualTo(1_000);
        assertThat(hub.asked().subList(0, 3)).containsExactly("0+1000", "1000+1000", "0+1000");
    }

    @Test
    void aPageWhoseFetchAheadFailedIsAskedForAgain() throws Exception {
        Hub hub = new Hub(5_000);
        hub.failing = 2;
        MovedPages pages = new MovedPages(hub);
        PullResult first = pages.page("n", "task", 7, 0, 1_000).orElseThrow();
        hub.second.await(10, TimeUnit.SECONDS); // the fetch ahead, which fails
        PullResult second = pages.page("n", "task", 7, first.next(), 1_000).orElseThrow();
        assertThat(second.next()).isEqualTo(2_000);
        assertThat(hub.asked().subList(0, 3)).containsExactly("0+1000", "1000+1000", "1000+1000");
    }
}
