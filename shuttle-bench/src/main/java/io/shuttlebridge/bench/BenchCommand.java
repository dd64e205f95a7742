package io.shuttlebridge.bench;

import io.shuttlebridge.bench.capture.CaptureBench;
import picocli.CommandLine.Command;

/** {@code shuttle bench ...}: macro benchmarks that compare against a baseline measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Run a macro benchmark; each prints its same-run baseline and the ratio.",
        subcommands = {CaptureBench.class, io.shuttlebridge.bench.apply.ApplyBench.class, io.shuttlebridge.bench.bridge.BridgeBench.class,
                io.shuttlebridge.bench.hub.BootstrapBench.class, io.shuttlebridge.bench.hub.UploadBench.class,
                io.shuttlebridge.bench.hub.LatencyBench.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing benchmark: try 'shuttle bench --help'");
    }
}
