package io.shuttlebridge.server.rules;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.server.internal.rules.RulesCheck;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Rules are checked against the hub's own database before it serves them, on SQLite and PostgreSQL. */
class RulesCheckIT {
    @TempDir
    Path dir;

    private ShuttleDatabase hub(String kind) throws Exception {
        ShuttleDatabase db = RulesHub.create(kind, dir);
        Capture.enable(db, CaptureOptions.allTables(), ProgressListener.NONE);
        return db;
    }

    private void validate(ShuttleDatabase db, String yaml) {
        RulesCheck.validate(
                SyncRules.parse(yaml, "rules.yaml"),
                db,
                EngineAccess.context(SyncEngine.open(db)).schema());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "postgresql"})
    void theDesignExampleIsValidAndMistakesStopTheHubWithTheirLine(String kind) throws Exception {
        try (ShuttleDatabase db = hub(kind)) {
            assertThatCode(() -> validate(db, RulesParserTest.DESIGN_EXAMPLE)).doesNotThrowAnyException();
            assertThatThrownBy(() -> validate(db, "version: 1\ntables:\n  tasks:\n    read: all\n"))
                    .hasMessageContaining("rules.yaml:3: unknown table 'tasks': the hub syncs");
            assertThatThrownBy(() ->
                            validate(db, "version: 1\ntables:\n  task:\n    read: all\n    hidden_columns: [cost]\n"))
                    .hasMessageContaining("rules.yaml:3: hidden column 'cost' is not a column of 'task'");
            assertThatThrownBy(() ->
                            validate(db, "version: 1\ntables:\n  task:\n    read: all\n    hidden_columns: [id]\n"))
                    .hasMessageContaining("'id' is part of the key of 'task'");
            assertThatThrownBy(() -> validate(db, "version: 1\ntables:\n  task:\n    read: \"project_idd = 1\"\n"))
                    .hasMessageContaining("rules.yaml:4: the rule of 'task' is not a condition")
                    .hasMessageContaining("project_idd");
            assertThatThrownBy(() -> validate(
                            db, "version: 1\ntables:\n  task:\n    read: all\n    write: \"id IN (SELECT FROM\"\n"))
                    .hasMessageContaining("rules.yaml:5: the rule of 'task' is not a condition");
            if (kind.equals("postgresql")) {
                assertThatThrownBy(() -> validate(db, "version: 1\ntables:\n  task:\n    read: \"title\"\n"))
                        .hasMessageContaining("rules.yaml:4:")
                        .hasMessageContaining("boolean");
            }
        }
    }
}
