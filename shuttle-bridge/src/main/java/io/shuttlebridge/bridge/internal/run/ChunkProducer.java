package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.internal.record.PreparedRecord;
import io.shuttlebridge.bridge.internal.record.Rejected;
import io.shuttlebridge.bridge.internal.record.RowVersions;
import io.shuttlebridge.bridge.internal.record.SourceRecord;
import io.shuttlebridge.bridge.internal.record.Stage;
import io.shuttlebridge.bridge.internal.source.RecordStream;
import io.shuttlebridge.bridge.internal.track.Counters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs stages 1 to 5 on its own thread and hands slices of at most {@value #SLICE} records to the
 * writer through a queue of one, so fetching and preparing overlap with writing while at most three
 * slices are in memory (one being written, one waiting, one being prepared), whatever the chunk size.
 */
final class ChunkProducer implements Runnable {
    /** Put after the last chunk; {@code exhausted} tells whether the source ended (rather than the row limit). */
    record End(boolean exhausted) {}

    /** Put when stages 1 to 5 failed as a whole (the source broke). */
    record Failure(RuntimeException error) {}

    private final RecordStream stream;
    private final RecordPreparer preparer;
    private final int chunkSize;
    private final long maxRows;
    private final Counters counters;
    /** Records per slice: small enough to stay out of the old generation, large enough for one range lookup. */
    static final int SLICE = 2000;

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(1);
    private volatile boolean stopped;

    ChunkProducer(RecordStream stream, RecordPreparer preparer, int chunkSize, long maxRows, Counters counters) {
        this.stream = stream;
        this.preparer = preparer;
        this.chunkSize = chunkSize;
        this.maxRows = maxRows;
        this.counters = counters;
    }

    /** Waits for the next chunk, {@link End} or {@link Failure}. */
    Object take() throws InterruptedException {
        return queue.take();
    }

    void stop() {
        stopped = true;
        queue.clear();
    }

    @Override
    public void run() {
        long total = 0;
        try {
            while (!stopped) {
                int want = maxRows > 0 ? (int) Math.min(chunkSize, maxRows - total) : chunkSize;
                if (want <= 0) {
                    put(new End(false));
                    return;
                }
                int inChunk = 0;
                while (inChunk < want && !stopped) {
                    int n = Math.min(SLICE, want - inChunk);
                    long t = System.nanoTime();
                    List<SourceRecord> fetched = new ArrayList<>(n);
                    SourceRecord r;
                    while (fetched.size() < n && (r = stream.next()) != null) {
                        fetched.add(r);
                    }
                    counters.addNanos(Stage.FETCH, System.nanoTime() - t);
                    inChunk += fetched.size();
                    total += fetched.size();
                    boolean ended = fetched.size() < n;
                    boolean commit = ended || inChunk >= want;
                    if (!fetched.isEmpty() || (commit && inChunk > 0)) {
                        put(prepare(fetched, commit ? stream.position() : null, commit));
                    }
                    if (ended) {
                        put(new End(true));
                        return;
                    }
                }
            }
        } catch (RuntimeException e) {
            put(new Failure(e));
        }
    }

    private Chunk prepare(List<SourceRecord> fetched, String position, boolean commit) {
        int n = fetched.size();
        List<Rejected> rejected = new ArrayList<>();
        Object[][] normalized = new Object[n][];
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Object o = preparer.normalize(fetched.get(i));
            if (o instanceof Rejected x) {
                rejected.add(x);
            } else {
                normalized[i] = (Object[]) o;
            }
        }
        long normalizedCount = n - rejected.size();
        long t2 = System.nanoTime();
        counters.addNanos(Stage.NORMALIZE, t2 - t);
        long invalid = 0;
        for (int i = 0; i < n; i++) {
            if (normalized[i] != null && !fetched.get(i).tombstone()) {
                Rejected x = preparer.validate(fetched.get(i), normalized[i]);
                if (x != null) {
                    rejected.add(x);
                    normalized[i] = null;
                    invalid++;
                }
            }
        }
        long t3 = System.nanoTime();
        counters.addNanos(Stage.VALIDATE, t3 - t2);
        Object[][] mapped = new Object[n][];
        long mappedCount = 0;
        for (int i = 0; i < n; i++) {
            if (normalized[i] != null) {
                Object o = preparer.map(fetched.get(i), normalized[i]);
                if (o instanceof Rejected x) {
                    rejected.add(x);
                } else {
                    mapped[i] = (Object[]) o;
                    mappedCount++;
                }
            }
        }
        long t4 = System.nanoTime();
        counters.addNanos(Stage.MAP, t4 - t3);
        List<PreparedRecord> records = new ArrayList<>(n);
        String maxRv = null;
        for (int i = 0; i < n; i++) {
            if (fetched.get(i).rowversion() != null) {
                maxRv = RowVersions.max(maxRv, fetched.get(i).rowversion());
            }
            if (mapped[i] != null) {
                Object o = preparer.identify(fetched.get(i), normalized[i], mapped[i]);
                if (o instanceof Rejected x) {
                    rejected.add(x);
                } else {
                    records.add((PreparedRecord) o);
                }
            }
        }
        counters.addNanos(Stage.IDENTITY, System.nanoTime() - t4);
        return new Chunk(records, rejected, position, maxRv, n, normalizedCount, invalid, mappedCount, commit);
    }

    private void put(Object item) {
        try {
            while (!stopped && !queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                // the writer is busy; wait
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
