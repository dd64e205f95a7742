package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.Sleeper;
import io.shuttlebridge.bridge.WriteObserver;
import io.shuttlebridge.bridge.definition.PipelineDefinition;
import io.shuttlebridge.bridge.internal.track.BatchMetrics;
import java.sql.Connection;
import java.time.Clock;

/** What every run needs: the target connection (Bridge's state lives there too), time, metrics, hooks. */
public record RunContext(
        Connection connection,
        PipelineDefinition pipeline,
        Clock clock,
        Sleeper sleeper,
        BatchMetrics metrics,
        WriteObserver observer) {}
