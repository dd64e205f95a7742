package io.shuttlebridge.core.dialect;

import java.util.ArrayList;
import java.util.List;

/** The queue of a {@link Dialect.BulkUpsert}: rows of a fixed number of values, in the order they were added. */
public abstract class QueuedRows implements Dialect.BulkUpsert {
    protected final int width;
    protected final List<Object[]> rows = new ArrayList<>();

    protected QueuedRows(int width) {
        this.width = width;
    }

    @Override
    public void add(Object[] values) {
        if (values.length != width) {
            throw new IllegalArgumentException("a row of " + values.length + " values for " + width + " columns");
        }
        rows.add(values);
    }

    @Override
    public int size() {
        return rows.size();
    }

    @Override
    public void clear() {
        rows.clear();
    }
}
