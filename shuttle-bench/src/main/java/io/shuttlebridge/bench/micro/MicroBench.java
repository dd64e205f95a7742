package io.shuttlebridge.bench.micro;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.runner.NoBenchmarksException;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/**
 * {@code shuttle bench micro [REGEX] [JMH options]}: the JMH micro-benchmarks (the conflict rules'
 * verdicts, the wire codec), run by JMH in forked JVMs, with JMH's own report.
 */
@Command(
        name = "micro",
        mixinStandardHelpOptions = true,
        description = {
            "JMH micro-benchmarks: VerdictBenchmark (the conflict rules per policy), WireCodecBenchmark"
                    + " (push and pull bodies).",
            "Other options go to JMH as they are, e.g. -f 1 -wi 2 -i 3 for a short run, -l to list."
        })
public final class MicroBench implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", description = "which benchmarks (a regular expression; default: all)")
    String pattern;

    /** JMH's own options (-f forks, -wi warm-up iterations, -i iterations, -p param=value, -l to list ...). */
    @Unmatched
    List<String> jmhOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<String> args = new ArrayList<>(jmhOptions);
        args.add(pattern == null ? "io\\.shuttlebridge\\..*Benchmark" : pattern);
        CommandLineOptions options;
        try {
            options = new CommandLineOptions(args.toArray(String[]::new));
        } catch (CommandLineOptionException e) {
            System.err.println("shuttle bench micro: " + e.getMessage());
            return 2;
        }
        Runner runner = new Runner(options);
        if (options.shouldList()) {
            runner.list();
            return 0;
        }
        try {
            runner.run();
        } catch (NoBenchmarksException e) {
            System.err.println("shuttle bench micro: no benchmark matches '" + pattern + "' (try -l)");
            return 2;
        }
        return 0;
    }
}
