package io.shuttlebridge.cli.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.shuttlebridge.bridge.BridgeService;
import io.shuttlebridge.bridge.definition.PipelineDefinition;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every bridge command shares: the target database, the pipeline definition, --json. */
final class BridgeOptions {
    @Option(names = "--db", required = true, description = "target database: a SQLite file or a JDBC URL")
    String db;

    @Option(
            names = {"-f", "--file"},
            required = true,
            description = "pipeline definition (YAML)")
    Path file;

    @Option(names = "--json", description = "machine-readable output")
    boolean json;

    BridgeService open() {
        return BridgeService.builder()
                .target(db)
                .definition(PipelineDefinition.load(file))
                .build();
    }

    void print(PrintWriter out, Object value, String text) {
        if (json) {
            try {
                out.println(new ObjectMapper()
                        .registerModule(new JavaTimeModule())
                        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                        .writeValueAsString(value));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.println(text);
        }
        out.flush();
    }
}
