package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.WriteObserver;
import io.shuttlebridge.bridge.internal.ingest.Sink;

/** Tells a {@link WriteObserver} about each row before passing it on. */
final class ObservedSink implements Sink {
    private final Sink delegate;
    private final String entity;
    private final WriteObserver observer;

    ObservedSink(Sink delegate, String entity, WriteObserver observer) {
        this.delegate = delegate;
        this.entity = entity;
        this.observer = observer;
    }

    @Override
    public void insert(Object[] row) {
        observer.onWrite(entity, "insert");
        delegate.insert(row);
    }

    @Override
    public void update(Object[] row) {
        observer.onWrite(entity, "update");
        delegate.update(row);
    }

    @Override
    public void delete(Object[] key) {
        observer.onWrite(entity, "delete");
        delegate.delete(key);
    }

    @Override
    public void flush() {
        delegate.flush();
    }

    @Override
    public void close() {
        delegate.close();
    }
}
