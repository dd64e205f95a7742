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
