package io.shuttlebridge.spring.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.capture.CaptureOptions;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.spring.ShuttleProperties;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Enables capture on the application's database as {@code shuttle.capture.*} says. */
final class CaptureSetup {
    /** The schema tools' own bookkeeping: never synced (each replica migrates itself). */
    static final Set<String> TOOL_TABLES =
            Set.of("flyway_schema_history", "databasechangelog", "databasechangeloglock");

    private CaptureSetup() {}

    static Capture.EnableResult enable(ShuttleDatabase db, ShuttleProperties.Capture settings) {
        List<String> tables = settings.getTables().isEmpty() ? userTables(db) : settings.getTables();
        if (tables.isEmpty()) {
            throw new ShuttleException(
                    ErrorCode.NOT_INITIALIZED,
                    "no table to sync in " + db.displayUrl() + ": create the application's tables first (Flyway"
                            + " migrations run before capture is enabled) or name them in shuttle.capture.tables");
        }
        CaptureOptions.Builder options = CaptureOptions.builder().tables(tables);
        settings.getExcludeColumns().forEach(options::excludeColumn);
        if (settings.getPolicy() != null) {
            options.policy(settings.getPolicy());
        }
        settings.getTablePolicies().forEach((table, policy) -> {
            if (!tables.contains(table)) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        "shuttle.capture.table-policies names table '" + table + "', which is not synced (synced: "
                                + String.join(", ", tables) + ")");
            }
            options.policy(table, policy);
        });
        return Capture.enable(db, options.build());
    }

    private static List<String> userTables(ShuttleDatabase db) {
        return db.read(c -> Dialects.of(db).listTables(c)).stream()
                .filter(t -> !TOOL_TABLES.contains(t.toLowerCase(Locale.ROOT)))
                .toList();
    }
}
