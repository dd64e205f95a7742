package io.shuttlebridge.bridge.internal.source;

import io.shuttlebridge.bridge.Sleeper;
import io.shuttlebridge.bridge.definition.EntityDefinition;
import io.shuttlebridge.bridge.definition.SourceSpec;
import java.time.Clock;

/** Builds the source an entity declares. */
public final class Sources {
    private Sources() {}

    public static Source create(EntityDefinition entity, Sleeper sleeper, Clock clock) {
        FieldLayout layout = FieldLayout.of(entity);
        return switch (entity.source()) {
            case SourceSpec.Http http -> new HttpJsonSource(http, layout, sleeper, clock);
            case SourceSpec.Jdbc jdbc -> new JdbcSource(jdbc, layout);
            case SourceSpec.Csv csv -> new CsvSource(csv, layout);
        };
    }
}
