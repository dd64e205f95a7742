package io.shuttlebridge.server.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.DeviceClone;
import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.HubServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The read half of DESIGN §9 as far as it goes: a device cloned by a subject holds the readable
 * tables, visible columns and readable rows only, and its pulls bring only rows it may read.
 */
class RulesReadsIT {
    private static final byte[] SECRET =
            "an HS256 secret of more than thirty-two bytes".getBytes(StandardCharsets.UTF_8);
    private static final String RULES = """
            version: 1
            tables:
              project:
                read:  "id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
              task:
                read:  "project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
                write: read
                hidden_columns: [internal_cost]
              project_member:
                read:  "user_id = :sub"
              catalog:
                read:  all
            """;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "hub on {0}")
    @ValueSource(strings = {"sqlite", "postgresql"})
    void aDeviceHoldsWhatItsSubjectMayReadOnly(String kind) throws Exception {
        try (ShuttleDatabase db = RulesHub.create(kind, dir)) {
            db.execute("CREATE TABLE audit (id BIGINT PRIMARY KEY, what TEXT)");
            db.execute("INSERT INTO project VALUES (1, 'north'), (2, 'south')");
            db.execute("INSERT INTO project_member VALUES (1, 'alice', 'owner'), (2, 'bob', 'owner')");
            db.execute("INSERT INTO task VALUES (10, 1, 'alice''s task', 5.00), (20, 2, 'bob''s task', 7.00)");
            db.execute("INSERT INTO catalog VALUES ('pen', 1.50)");
            db.execute("INSERT INTO audit VALUES (1, 'not for devices')");
            Capture.enable(db);
            try (HubServer hub = RulesHub.serve(SyncEngine.open(db), RULES);
                    ShuttleDatabase device = ShuttleDatabase.sqlite(dir.resolve("alice.db"))) {
                String alice = RulesHub.token("alice");
                HttpTransport transport =
                        HttpTransport.builder(hub.url()).token(alice).build();
                DeviceClone.run(device, transport, ProgressListener.NONE);

                assertThat(
                                rows(
                                        device,
                                        "SELECT name FROM sqlite_master WHERE type = 'table'"
                                                + " AND name NOT LIKE '\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite%' ORDER BY name"))
                        .containsExactly("catalog", "project", "project_member", "task");
                assertThat(rows(device, "SELECT name FROM pragma_table_info('task') ORDER BY cid"))
                        .containsExactly("id", "project_id", "title");
                assertThat(rows(device, "SELECT id || '|' || name FROM project ORDER BY id"))
                        .containsExactly("1|north");
                assertThat(rows(device, "SELECT id || '|' || title FROM task ORDER BY id"))
                        .containsExactly("10|alice's task");
                assertThat(rows(device, "SELECT project_id || '|' || user_id FROM project_member"))
                        .containsExactly("1|alice");
                assertThat(rows(device, "SELECT sku FROM catalog")).containsExactly("pen");

                // new rows on the hub: the device pulls the one it may read
                db.execute("INSERT INTO task VALUES (11, 1, 'another of alice''s', 1.00), (21, 2, 'bob''s too', 2.00)");
                SyncEngine.open(device).pullThenPush(transport);
                assertThat(rows(device, "SELECT id || '|' || title FROM task ORDER BY id"))
                        .containsExactly("10|alice's task", "11|another of alice's");
            }
        }
    }

    private static List<String> rows(ShuttleDatabase db, String sql) {
        return db.read(c -> {
            List<String> out = new ArrayList<>();
            try (var rs = c.createStatement().executeQuery(sql)) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }
}
