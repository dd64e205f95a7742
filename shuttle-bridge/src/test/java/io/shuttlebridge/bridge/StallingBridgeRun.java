package io.shuttlebridge.bridge;

import io.shuttlebridge.bridge.definition.PipelineDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A child JVM for {@link KilledRunIT}: runs one batch of {@code items} and, when the writer reaches
 * row N (inside a chunk's open transaction), creates a marker file and stalls there until it is killed.
 * Arguments: database path, definition path, N, marker path.
 */
public final class StallingBridgeRun {
    private StallingBridgeRun() {}

    public static void main(String[] args) throws Exception {
        Path definition = Path.of(args[1]);
        long stallAt = Long.parseLong(args[2]);
        Path marker = Path.of(args[3]);
        AtomicLong rows = new AtomicLong();
        WriteObserver stall = (entity, op) -> {
            if (rows.incrementAndGet() == stallAt) {
                try {
                    Files.writeString(marker, "row " + stallAt);
                    Thread.sleep(Long.MAX_VALUE);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        try (BridgeService bridge = BridgeService.builder()
                .target(args[0])
                .writeObserver(stall)
                .definition(PipelineDefinition.parse(Files.readString(definition), Map.of(), definition.getParent()))
                .build()) {
            bridge.run("items");
        }
    }
}
