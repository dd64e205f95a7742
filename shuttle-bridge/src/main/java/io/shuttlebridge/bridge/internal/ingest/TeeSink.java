package io.shuttlebridge.bridge.internal.ingest;

import java.util.List;

/** Writes every change to several sinks, flushing them in order (the target database first). */
public final class TeeSink implements Sink {
    private final List<Sink> sinks;

    public TeeSink(List<Sink> sinks) {
        this.sinks = List.copyOf(sinks);
    }

    @Override
    public void insert(Object[] row) {
        for (Sink s : sinks) {
            s.insert(row);
        }
    }

    @Override
    public void update(Object[] row) {
        for (Sink s : sinks) {
            s.update(row);
        }
    }

    @Override
    public void delete(Object[] key) {
        for (Sink s : sinks) {
            s.delete(key);
        }
    }

    @Override
    public void flush() {
        for (Sink s : sinks) {
            s.flush();
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Sink s : sinks) {
            try {
                s.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
