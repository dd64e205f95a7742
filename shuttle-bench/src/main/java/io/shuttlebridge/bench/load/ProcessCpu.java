package io.shuttlebridge.bench.load;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** Processor time used by a process so far, in nanoseconds; -1 when it cannot be read. */
final class ProcessCpu {
    /** Clock ticks a second of /proc/PID/stat's times (USER_HZ, 100 on Linux). */
    private static final long TICKS = 100;

    private ProcessCpu() {}

    /** This JVM's. */
    static long self() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : -1;
    }

    /**
     * The PostgreSQL server listening on {@code port} of this machine (started with {@code -p PORT}, as an
     * embedded one is) and the backends serving its connections: their user and system time added up; -1
     * when no such server is found. A backend that ended meanwhile takes its time with it: a floor.
     */
    static long postgresOn(int port) {
        if (port <= 0) {
            return -1;
        }
        String p = Integer.toString(port);
        for (ProcessHandle h : ProcessHandle.allProcesses().toList()) {
            boolean postgres =
                    h.info().command().map(c -> c.endsWith("/postgres")).orElse(false);
            String[] args = h.info().arguments().orElse(new String[0]);
            for (int i = 0; postgres && i + 1 < args.length; i++) {
                if (args[i].equals("-p") && args[i + 1].equals(p)) {
                    long sum = of(h.pid());
                    for (ProcessHandle backend : h.descendants().toList()) {
                        sum += Math.max(0, of(backend.pid()));
                    }
                    return sum;
                }
            }
        }
        return -1;
    }

    /** User and system time of process {@code pid}, from /proc/PID/stat. */
    static long of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields 14 (utime) and 15 (stime) of the line; the split starts at field 3
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * (1_000_000_000L / TICKS);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
