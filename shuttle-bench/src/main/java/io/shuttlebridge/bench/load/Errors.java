package io.shuttlebridge.bench.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Failures by kind ("push 503 UNAVAILABLE", "stream closed 1006"), with the first message of each kind. */
final class Errors {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, String> firsts = new ConcurrentHashMap<>();

    void add(String kind, String message) {
        add(kind, message, 1);
    }

    /** {@code times} failures of one kind at once (streams that missed a notification, say). */
    void add(String kind, String message, long times) {
        counts.computeIfAbsent(kind, k -> new LongAdder()).add(times);
        if (message != null) {
            firsts.putIfAbsent(kind, message.length() > 300 ? message.substring(0, 300) + "..." : message);
        }
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Count by kind, sorted by kind. */
    Map<String, Long> byKind() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** The first message seen of each kind. */
    Map<String, String> examples() {
        return new TreeMap<>(firsts);
    }
}
