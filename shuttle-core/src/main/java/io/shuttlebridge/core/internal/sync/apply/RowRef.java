package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.feed.FeedReader;
import java.util.ArrayList;
import java.util.List;

/** A row within a batch: table id and key, byte arrays compared by content. */
record RowRef(int table, Object key) {

    static RowRef of(SyncedTable t, List<Object> key) {
        if (key.size() == 1) {
            return new RowRef(t.id(), FeedReader.keyOf(key.get(0)));
        }
        List<Object> parts = new ArrayList<>(key.size());
        for (Object part : key) {
            parts.add(FeedReader.keyOf(part));
        }
        return new RowRef(t.id(), parts);
    }
}
