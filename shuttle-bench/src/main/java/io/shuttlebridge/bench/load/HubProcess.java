package io.shuttlebridge.bench.load;

import io.shuttlebridge.bench.hub.BenchHub;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The main of a hub JVM of its own ({@code shuttle bench load --hub-process}): a hub over the given
 * PostgreSQL database with tokens signed by the given secret. It prints {@code READY <url>}, then
 * answers lines on standard input: {@code MEM} (heap after a full collection, and RSS),
 * {@code PEEK} (heap as it is, and RSS), {@code STOP} (or the end of input) closes the hub.
 */
public final class HubProcess {
    private HubProcess() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: HubProcess JDBC_URL SECRET_FILE MAX_BATCH POOL");
            System.exit(2);
        }
        byte[] secret = Files.readAllBytes(Path.of(args[1]));
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (BenchHub hub =
                        BenchHub.start(args[0], Integer.parseInt(args[2]), null, secret, Integer.parseInt(args[3]));
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
            out.println("READY " + hub.url());
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                switch (line.trim()) {
                    case "MEM" -> out.println("MEM " + MemorySample.self(true).line());
                    case "PEEK" -> out.println("MEM " + MemorySample.self(false).line());
                    case "STOP" -> {
                        return;
                    }
                    default -> out.println("ERR unknown command " + line);
                }
            }
        }
    }
}
