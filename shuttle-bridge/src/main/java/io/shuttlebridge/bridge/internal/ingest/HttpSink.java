package io.shuttlebridge.bridge.internal.ingest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.shuttlebridge.bridge.Sleeper;
import io.shuttlebridge.bridge.definition.SinkSpec;
import io.shuttlebridge.bridge.internal.source.RetryingHttp;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The optional HTTP sink: every flushed slice of changes (at most 2,000 rows) is POSTed as one JSON
 * document with a bearer token, before its chunk commits in the target database:
 *
 * <pre>{@code
 * {"entity": "items", "table": "item", "rows": [
 *   {"op": "insert", "key": {"id": 1}, "values": {"id": 1, "price": 12.50, "updated": "2024-05-01", ...}},
 *   {"op": "update", "key": {"id": 2}, "values": {...}},
 *   {"op": "delete", "key": {"id": 3}}]}
 * }</pre>
 *
 * Decimals are exact JSON numbers, dates and times ISO 8601 text. A 5xx answer or a network error is
 * retried with exponential backoff up to the configured number of retries; a 4xx (429 included) fails
 * at once. A failed POST fails the chunk, which is rolled back and sent again by the next run, so
 * delivery is at least once: receivers should apply rows idempotently by key.
 */
public final class HttpSink implements Sink {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
            .build();

    private record Op(String op, Object[] values) {}

    private final SinkSpec spec;
    private final RetryingHttp http;
    private final String entity;
    private final String table;
    private final List<String> columns;
    private final List<String> keys;
    private final int[] keyIdx;
    private final List<Op> pending = new ArrayList<>();

    public HttpSink(
            SinkSpec spec,
            String entity,
            String table,
            List<String> columns,
            List<String> keys,
            Sleeper sleeper,
            Clock clock) {
        this.spec = spec;
        this.http = new RetryingHttp("sink", spec.token(), spec.maxRetries(), spec.timeout(), sleeper, clock, false);
        this.entity = entity;
        this.table = table;
        this.columns = List.copyOf(columns);
        this.keys = List.copyOf(keys);
        this.keyIdx = keys.stream().mapToInt(columns::indexOf).toArray();
    }

    @Override
    public void insert(Object[] row) {
        pending.add(new Op("insert", row));
    }

    @Override
    public void update(Object[] row) {
        pending.add(new Op("update", row));
    }

    @Override
    public void delete(Object[] key) {
        pending.add(new Op("delete", key));
    }

    @Override
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        try {
            http.postJson(spec.url(), body());
        } finally {
            pending.clear();
        }
    }

    /** How many requests were retried so far. */
    public long retries() {
        return http.retries();
    }

    private byte[] body() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + pending.size() * 128);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("entity", entity);
            g.writeStringField("table", table);
            g.writeArrayFieldStart("rows");
            for (Op op : pending) {
                g.writeStartObject();
                g.writeStringField("op", op.op());
                g.writeObjectFieldStart("key");
                boolean delete = op.op().equals("delete");
                for (int i = 0; i < keyIdx.length; i++) {
                    g.writeFieldName(keys.get(i));
                    g.writeObject(delete ? op.values()[i] : op.values()[keyIdx[i]]);
                }
                g.writeEndObject();
                if (!delete) {
                    g.writeObjectFieldStart("values");
                    for (int i = 0; i < columns.size(); i++) {
                        g.writeFieldName(columns.get(i));
                        g.writeObject(op.values()[i]);
                    }
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new ShuttleException(
                    ErrorCode.INTERNAL, "encoding a chunk for the HTTP sink of " + entity + ": " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        pending.clear();
    }
}
