package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.Sleeper;
import io.shuttlebridge.bridge.WriteObserver;
import io.shuttlebridge.bridge.definition.PipelineDefinition;
import io.shuttlebridge.bridge.internal.track.BatchMetrics;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.time.Clock;

/**
 * What every run needs: the target connection (Bridge's state lives there too) and its dialect, time,
 * metrics, hooks.
 */
public record RunContext(
        Connection connection,
        Dialect dialect,
        PipelineDefinition pipeline,
        Clock clock,
        Sleeper sleeper,
        BatchMetrics metrics,
        WriteObserver observer) {}
