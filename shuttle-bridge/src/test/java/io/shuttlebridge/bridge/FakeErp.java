package io.shuttlebridge.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake ERP on loopback: {@code GET /api/<table>?page=N&page_size=S&since=RV} returns rows with a
 * rowversion greater than {@code since}, ordered by rowversion; a bearer token is required; the next
 * {@code throttle} requests answer 429 with Retry-After: 1.
 */
final class FakeErp implements AutoCloseable {
    static final String TOKEN = "erp-token";
    private final HttpServer server;
    private final Map<String, Map<String, Map<String, Object>>> tables = new HashMap<>();
    private long rowversion;
    final AtomicInteger throttle = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();

    FakeErp() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/", this::handle);
        server.start();
    }

    String url(String table) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/" + table;
    }

    synchronized void put(String table, String key, Map<String, Object> row) {
        Map<String, Object> r = new LinkedHashMap<>(row);
        r.put("rv", ++rowversion);
        tables.computeIfAbsent(table, t -> new LinkedHashMap<>()).put(key, r);
    }

    synchronized void delete(String table, String key) {
        Map<String, Object> r = new LinkedHashMap<>(tables.get(table).get(key));
        r.put("rv", ++rowversion);
        r.put("deleted", true);
        tables.get(table).put(key, r);
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        try (ex) {
            if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.sendResponseHeaders(401, -1);
                return;
            }
            if (throttle.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                ex.getResponseHeaders().add("Retry-After", "1");
                ex.sendResponseHeaders(429, -1);
                return;
            }
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            String table = ex.getRequestURI().getPath().substring("/api/".length());
            long since = Long.parseLong(q.getOrDefault("since", "0"));
            int size = Integer.parseInt(q.getOrDefault("page_size", "100"));
            int page = Integer.parseInt(q.getOrDefault("page", "1"));
            List<Map<String, Object>> rows = new ArrayList<>();
            synchronized (this) {
                tables.getOrDefault(table, Map.of()).values().stream()
                        .filter(r -> ((Long) r.get("rv")) > since)
                        .sorted((a, b) -> Long.compare((Long) a.get("rv"), (Long) b.get("rv")))
                        .forEach(rows::add);
            }
            List<Map<String, Object>> slice =
                    rows.subList(Math.min(rows.size(), (page - 1) * size), Math.min(rows.size(), page * size));
            byte[] body = new ObjectMapper().writeValueAsBytes(Map.of("data", slice, "page", page));
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw != null) {
            for (String p : raw.split("&")) {
                String[] kv = p.split("=", 2);
                out.put(kv[0], kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
