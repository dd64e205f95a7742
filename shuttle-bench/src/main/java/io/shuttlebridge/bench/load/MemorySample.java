package io.shuttlebridge.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A hub process's memory at one moment: Java heap in use and resident set size (VmRSS), in bytes;
 * -1 for what could not be read (RSS off Linux, heap of a process not started by the benchmark).
 */
record MemorySample(long heapUsed, long rss) {
    static final MemorySample UNKNOWN = new MemorySample(-1, -1);

    /**
     * This JVM's: heap in use, after a full collection when {@code collect} (what the process holds, not what
     * garbage waits to be collected), and its RSS.
     */
    static MemorySample self(boolean collect) {
        if (collect) {
            for (int i = 0; i < 2; i++) {
                System.gc();
            }
        }
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return new MemorySample(heap, rss(ProcessHandle.current().pid()));
    }

    /** VmRSS of process {@code pid} from /proc, in bytes; -1 when it cannot be read. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    String kb =
                            line.substring("VmRSS:".length()).replace("kB", "").trim();
                    return Long.parseLong(kb) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }

    /** The larger of each figure. */
    MemorySample max(MemorySample o) {
        return new MemorySample(Math.max(heapUsed, o.heapUsed), Math.max(rss, o.rss));
    }

    /** The sample as one line, for the hub process's answer. */
    String line() {
        return heapUsed + " " + rss;
    }

    static MemorySample parse(String line) {
        String[] p = line.trim().split(" ");
        return new MemorySample(Long.parseLong(p[0]), Long.parseLong(p[1]));
    }
}
