package io.shuttlebridge.server.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import io.shuttlebridge.core.ShuttleDatabase;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Whether a hub can serve (GET /health/ready), apart from whether it is alive (GET /health): its
 * database answers within two seconds, its feed listener (PostgreSQL: other hub processes' writes)
 * is connected, and how its connection pool stands. Not ready is a 503, for a load balancer to send
 * devices elsewhere meanwhile.
 */
public final class Readiness {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ShuttleDatabase db;
    private final Supplier<FeedListener> listener;
    private final IntSupplier streams;

    public Readiness(ShuttleDatabase db, Supplier<FeedListener> listener, IntSupplier streams) {
        this.db = db;
        this.listener = listener;
        this.streams = streams;
    }

    /** The state found, and its JSON. */
    public record Report(boolean ready, String json) {}

    public Report check() {
        Map<String, Object> doc = new LinkedHashMap<>();
        boolean ready = true;
        String database;
        try {
            database = db.read(c -> c.isValid(2)) ? "ok" : "not answering";
        } catch (RuntimeException e) {
            database = "unreachable: " + e.getMessage();
        }
        ready &= database.equals("ok");
        FeedListener l = listener.get();
        String listening = l == null ? "not used" : l.listening() ? "connected" : "reconnecting";
        ready &= !listening.equals("reconnecting");
        doc.put("status", ready ? "ready" : "not ready");
        doc.put("database", database);
        doc.put("listener", listening);
        db.dataSource().ifPresent(ds -> {
            if (ds instanceof HikariDataSource pool && pool.getHikariPoolMXBean() != null) {
                HikariPoolMXBean p = pool.getHikariPoolMXBean();
                Map<String, Object> state = new LinkedHashMap<>();
                state.put("active", p.getActiveConnections());
                state.put("idle", p.getIdleConnections());
                state.put("waiting", p.getThreadsAwaitingConnection());
                state.put("max", pool.getMaximumPoolSize());
                doc.put("pool", state);
            }
        });
        doc.put("streams", streams.getAsInt());
        try {
            return new Report(ready, JSON.writeValueAsString(doc));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
