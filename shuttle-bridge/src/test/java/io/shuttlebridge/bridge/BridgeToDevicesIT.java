package io.shuttlebridge.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.bridge.definition.PipelineDefinition;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.sync.InProcessTransport;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What Bridge ingests into a sync-enabled hub database (SQLite or PostgreSQL) is captured by its triggers
 * and reaches a SQLite device.
 */
class BridgeToDevicesIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestDb.Kind.class)
    void ingestedRowsFlowToADeviceAndAnIncrementalChangeFollows(TestDb.Kind hubKind) throws Exception {
        String[] schema = DocsExampleIT.statements(Files.readString(DocsExampleIT.EXAMPLES.resolve("schema.sql")));
        TestDb hubDb = hubKind.create(dir, "hub.db");
        TestDb deviceDb = new TestDb(dir.resolve("device.db"));
        hubDb.exec(schema);
        deviceDb.exec(schema);
        try (ShuttleDatabase hub = ShuttleDatabase.open(hubDb.target());
                ShuttleDatabase device = ShuttleDatabase.sqlite(deviceDb.file)) {
            CaptureOptions options = CaptureOptions.builder()
                    .tables("customer", "customer_order")
                    .build();
            Capture.enable(hub, options, ProgressListener.NONE);
            Capture.enable(device, options, ProgressListener.NONE);

            Path examples = dir.resolve("examples");
            Files.createDirectories(examples);
            for (String f : new String[] {"bridge.yaml", "customers.csv", "orders.csv"}) {
                Files.copy(DocsExampleIT.EXAMPLES.resolve(f), examples.resolve(f));
            }
            try (BridgeService bridge = BridgeService.builder()
                    .target(hubDb.target())
                    .definition(PipelineDefinition.load(examples.resolve("bridge.yaml")))
                    .build()) {
                bridge.runAll();
            }
            SyncEngine hubEngine = SyncEngine.open(hub);
            SyncEngine deviceEngine = SyncEngine.open(device);
            deviceEngine.pullThenPush(new InProcessTransport(hubEngine));
            assertThat(deviceDb.rows("SELECT * FROM customer ORDER BY customer_no"))
                    .isEqualTo(hubDb.rows("SELECT * FROM customer ORDER BY customer_no"))
                    .hasSize(3);
            assertThat(deviceDb.rows("SELECT * FROM customer_order ORDER BY order_no"))
                    .isEqualTo(hubDb.rows("SELECT * FROM customer_order ORDER BY order_no"))
                    .hasSize(2);

            // the ERP changes one customer's name; the next batch updates one row, which is the one change the device
            // gets
            Path csv = examples.resolve("customers.csv");
            Files.writeString(csv, Files.readString(csv).replace("Anna   Schmidt", "Anna   Schmidt-Berg"));
            try (BridgeService bridge = BridgeService.builder()
                    .target(hubDb.target())
                    .definition(PipelineDefinition.load(examples.resolve("bridge.yaml")))
                    .build()) {
                bridge.runAll();
            }
            assertThat(hubDb.rows("SELECT name FROM customer WHERE customer_no = 'C0001'")
                            .get(0))
                    .containsEntry("name", "Anna Schmidt-Berg");
            var report = deviceEngine.pullThenPush(new InProcessTransport(hubEngine));
            assertThat(report.applied()).isEqualTo(1);
            assertThat(deviceDb.rows("SELECT name FROM customer WHERE customer_no = 'C0001'")
                            .get(0))
                    .containsEntry("name", "Anna Schmidt-Berg");
        }
    }
}
