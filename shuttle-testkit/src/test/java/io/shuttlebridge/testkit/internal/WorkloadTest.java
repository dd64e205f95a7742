package io.shuttlebridge.testkit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.testkit.SimulationResult.WriteKind;
import io.shuttlebridge.testkit.TestSchema;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated writes are ones the application could make: on a replica with foreign keys on,
 * none is refused (these schemas declare no CHECK or UNIQUE the values could break), every table
 * gets rows, and the foreign keys hold throughout.
 */
class WorkloadTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mixed-keys.sql", "chinook.sql"})
    void everyWriteIsOneTheApplicationCouldMake(String file) throws Exception {
        TestSchema schema = TestSchema.fromFile(
                Path.of(getClass().getResource("/schemas/" + file).toURI()));
        ClusterSpec spec = new ClusterSpec(
                dir,
                1,
                schema,
                CaptureOptions.allTables(),
                Map.of(),
                SyncEngine.ApplyListener.NONE,
                new HubSite(null, false, Clock.systemUTC()));
        try (Cluster cluster = new Cluster(spec)) {
            Node device = cluster.device(0);
            Workload workload = new Workload(SchemaModel.read(device.database(), schema.tables()), new Random(7));
            Map<WriteKind, Integer> kinds = new EnumMap<>(WriteKind.class);
            Map<String, Integer> mostRows = new HashMap<>();
            for (int step = 0; step < 400; step++) {
                Workload.Write w = workload.write(device, step);
                assertThat(w.refused()).as("write " + step + " was refused").isFalse();
                kinds.merge(w.kind(), 1, Integer::sum);
                for (String t : schema.tables()) {
                    mostRows.merge(t, device.rows(t).size(), Math::max);
                }
                assertThat(device.query("PRAGMA foreign_key_check"))
                        .as("after write " + step)
                        .isEmpty();
            }
            assertThat(kinds).containsOnlyKeys(WriteKind.values());
            assertThat(mostRows)
                    .allSatisfy((table, rows) -> assertThat(rows).as(table).isPositive());
        }
    }
}
