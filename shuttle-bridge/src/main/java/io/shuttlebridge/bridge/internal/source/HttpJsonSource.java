package io.shuttlebridge.bridge.internal.source;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.bridge.Sleeper;
import io.shuttlebridge.bridge.definition.SourceSpec;
import io.shuttlebridge.bridge.internal.record.SourceRecord;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * An HTTP JSON API read page by page (memory bounded by one page). Numbers are read as exact
 * decimals. The resume token is the page's own token plus how many of its records were consumed.
 */
final class HttpJsonSource implements Source {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS);

    private final SourceSpec.Http spec;
    private final FieldLayout layout;
    private final RetryingHttp http;

    HttpJsonSource(SourceSpec.Http spec, FieldLayout layout, Sleeper sleeper, Clock clock) {
        this.spec = spec;
        this.layout = layout;
        this.http = new RetryingHttp(spec.token(), spec.maxRetries(), spec.timeout(), sleeper, clock);
    }

    @Override
    public boolean incremental() {
        return spec.rowversion() != null;
    }

    @Override
    public RecordStream open(String resumeToken, String since) {
        return new Stream(
                resumeToken == null ? PageToken.first(spec.pagination()) : PageToken.parse(resumeToken), since);
    }

    private JsonNode fetch(PageToken page, String since) {
        StringBuilder url = new StringBuilder(spec.url().toString());
        char sep = url.indexOf("?") >= 0 ? '&' : '?';
        for (var p : page.query(spec.pagination()).entrySet()) {
            url.append(sep)
                    .append(p.getKey())
                    .append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        if (since != null) {
            url.append(sep)
                    .append(spec.sinceParam())
                    .append('=')
                    .append(URLEncoder.encode(since, StandardCharsets.UTF_8));
        }
        URI uri = URI.create(url.toString());
        try (InputStream in = http.get(uri)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new ShuttleException(
                    ErrorCode.MALFORMED_PAYLOAD, "GET " + uri + " did not return JSON: " + e.getMessage(), e);
        }
    }

    private final class Stream implements RecordStream {
        private final String since;
        private PageToken page;
        private JsonNode records;
        private int index;
        private boolean last;

        Stream(PageToken start, String since) {
            this.page = start;
            this.since = since;
        }

        @Override
        public SourceRecord next() {
            while (records == null || index >= records.size()) {
                if (records != null) {
                    if (last) {
                        return null;
                    }
                    page = page.next(spec.pagination(), records.size(), null);
                    records = null;
                }
                if (!load()) {
                    return null;
                }
            }
            JsonNode item = records.get(index++);
            page = page.consumed(index);
            Object[] values = new Object[layout.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = scalar(item.get(layout.names().get(i)));
            }
            return new SourceRecord(values, layout.rowversionOf(values), layout.tombstoneOf(values));
        }

        private boolean load() {
            JsonNode body = fetch(page, since);
            JsonNode list = spec.recordsField().isEmpty() ? body : body.path(spec.recordsField());
            if (!list.isArray()) {
                throw new ShuttleException(
                        ErrorCode.MALFORMED_PAYLOAD,
                        "source " + spec.url() + " page " + page + ": expected an array in '" + spec.recordsField()
                                + "'");
            }
            records = list;
            int skip = page.skip();
            index = skip;
            if (spec.pagination() instanceof SourceSpec.Pagination.Cursor c) {
                JsonNode next = body.path(c.nextField());
                String cursor =
                        next.isMissingNode() || next.isNull() || next.asText().isEmpty() ? null : next.asText();
                last = cursor == null;
                page = page.withNextCursor(cursor);
            } else {
                last = list.size() < spec.pagination().size();
            }
            if (list.isEmpty()) {
                return false;
            }
            return true;
        }

        @Override
        public String position() {
            return page.toString();
        }

        @Override
        public void close() {
            records = null;
        }
    }

    private static Object scalar(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.asLong() : node.decimalValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }
}
