package io.shuttlebridge.bench;

import io.shuttlebridge.bench.apply.ApplyBench;
import io.shuttlebridge.bench.bridge.BridgeBench;
import io.shuttlebridge.bench.capture.CaptureBench;
import io.shuttlebridge.bench.hub.BootstrapBench;
import io.shuttlebridge.bench.hub.LatencyBench;
import io.shuttlebridge.bench.hub.PullBench;
import io.shuttlebridge.bench.hub.UploadBench;
import io.shuttlebridge.bench.load.LoadBench;
import io.shuttlebridge.bench.micro.MicroBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code shuttle bench ...}: macro benchmarks that compare against a baseline measured in the same run. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Run a macro benchmark; each prints its same-run baseline and the ratio.",
        subcommands = {
            CaptureBench.class,
            ApplyBench.class,
            BridgeBench.class,
            BootstrapBench.class,
            UploadBench.class,
            PullBench.class,
            LatencyBench.class,
            LoadBench.class,
            MicroBench.class
        })
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing benchmark: try 'shuttle bench --help'");
    }
}
