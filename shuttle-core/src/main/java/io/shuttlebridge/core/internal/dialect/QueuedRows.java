package io.shuttlebridge.core.internal.dialect;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/** The queue of a {@link Dialect.BulkUpsert}: rows of a fixed number of values, in the order they were added. */
public abstract class QueuedRows implements Dialect.BulkUpsert {
    protected final int width;
    protected final List<Object[]> rows = new ArrayList<>();
    /** Rows added as expected to be new, by their index in {@link #rows}. */
    protected final BitSet expectedNew = new BitSet();

    protected QueuedRows(int width) {
        this.width = width;
    }

    @Override
    public void add(Object[] values, boolean isNew) {
        if (values.length != width) {
            throw new IllegalArgumentException("a row of " + values.length + " values for " + width + " columns");
        }
        if (isNew) {
            expectedNew.set(rows.size());
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
        expectedNew.clear();
    }
}
