package io.shuttlebridge.bridge.internal.source;

import io.shuttlebridge.bridge.definition.SourceSpec;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a paged HTTP stream is: the page (number, offset or cursor), how many of its records were
 * consumed, and for cursor pagination the cursor of the following page once known. Text form:
 * {@code <page>|<skip>|<next cursor>}.
 */
record PageToken(String page, int skip, String nextCursor) {

    static PageToken first(SourceSpec.Pagination p) {
        return switch (p) {
            case SourceSpec.Pagination.Page page -> new PageToken(Integer.toString(page.first()), 0, null);
            case SourceSpec.Pagination.Offset o -> new PageToken("0", 0, null);
            case SourceSpec.Pagination.Cursor c -> new PageToken("", 0, null);
        };
    }

    static PageToken parse(String text) {
        String[] parts = text.split("\\|", -1);
        return new PageToken(
                parts[0], Integer.parseInt(parts[1]), parts.length > 2 && !parts[2].isEmpty() ? parts[2] : null);
    }

    Map<String, String> query(SourceSpec.Pagination p) {
        Map<String, String> q = new LinkedHashMap<>();
        switch (p) {
            case SourceSpec.Pagination.Page page -> {
                q.put(page.pageParam(), this.page);
                q.put(page.sizeParam(), Integer.toString(page.size()));
            }
            case SourceSpec.Pagination.Offset o -> {
                q.put(o.offsetParam(), this.page);
                q.put(o.limitParam(), Integer.toString(o.size()));
            }
            case SourceSpec.Pagination.Cursor c -> {
                if (!this.page.isEmpty()) {
                    q.put(c.cursorParam(), this.page);
                }
                q.put(c.sizeParam(), Integer.toString(c.size()));
            }
        }
        return q;
    }

    PageToken consumed(int n) {
        return new PageToken(page, n, nextCursor);
    }

    PageToken withNextCursor(String cursor) {
        return new PageToken(page, skip, cursor);
    }

    PageToken next(SourceSpec.Pagination p, int pageRecords, String unused) {
        return switch (p) {
            case SourceSpec.Pagination.Page page ->
                new PageToken(Long.toString(Long.parseLong(this.page) + 1), 0, null);
            case SourceSpec.Pagination.Offset o ->
                new PageToken(Long.toString(Long.parseLong(this.page) + pageRecords), 0, null);
            case SourceSpec.Pagination.Cursor c -> new PageToken(nextCursor, 0, null);
        };
    }

    @Override
    public String toString() {
        return page + "|" + skip + "|" + (nextCursor == null ? "" : nextCursor);
    }
}
