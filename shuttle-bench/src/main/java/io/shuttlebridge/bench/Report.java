package io.shuttlebridge.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A benchmark's result: printed as a table, or as JSON, and always written to bench-results/NAME.json (the folder
 * the system property {@value #RESULTS_PROPERTY} names instead, when set).
 */
public final class Report {
    /** The system property naming the folder results are written to instead of {@code bench-results}. */
    public static final String RESULTS_PROPERTY = "shuttle.bench.results";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String name;
    private final Map<String, Object> facts = new LinkedHashMap<>();
    private final List<String[]> rows = new ArrayList<>();
    private final List<Map<String, Object>> measurements = new ArrayList<>();

    public Report(String name) {
        this.name = name;
        facts.put("benchmark", name);
        facts.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        facts.put("cores", Runtime.getRuntime().availableProcessors());
        facts.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
    }

    /** Where results are written: {@code bench-results}, or the folder {@value #RESULTS_PROPERTY} names. */
    public static Path resultsDir() {
        return Path.of(System.getProperty(RESULTS_PROPERTY, "bench-results"));
    }

    public Report fact(String key, Object value) {
        facts.put(key, value);
        return this;
    }

    /** One measured line: what, rows, seconds; rows/s is derived. */
    public Report measure(String what, long rowCount, double seconds) {
        double rate = rowCount / seconds;
        rows.add(new String[] {
            what, String.format("%,d", rowCount), String.format("%.3f", seconds), String.format("%,.0f", rate)
        });
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("what", what);
        m.put("rows", rowCount);
        m.put("seconds", seconds);
        m.put("rowsPerSecond", rate);
        measurements.add(m);
        return this;
    }

    public void print(PrintWriter out, boolean json) {
        Map<String, Object> doc = new LinkedHashMap<>(facts);
        doc.put("measurements", measurements);
        try {
            Path dir = resultsDir();
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve(name + ".json").toFile(), doc);
            if (json) {
                out.println(JSON.writeValueAsString(doc));
                out.flush();
                return;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println("benchmark " + name);
        facts.forEach((k, v) -> {
            if (!k.equals("benchmark")) {
                out.printf("  %-22s %s%n", k, v instanceof Double d ? String.format("%.3f", d) : v);
            }
        });
        out.printf("%n  %-34s %12s %10s %14s%n", "measurement", "rows", "seconds", "rows/s");
        for (String[] r : rows) {
            out.printf("  %-34s %12s %10s %14s%n", (Object[]) r);
        }
        out.println("\n  (written to " + resultsDir().resolve(name + ".json") + ")");
        out.flush();
    }
}
