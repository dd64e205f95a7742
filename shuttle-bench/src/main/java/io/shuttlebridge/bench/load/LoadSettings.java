package io.shuttlebridge.bench.load;

/** The shape of a load run, as the command line gave it (validated). */
record LoadSettings(
        int devices, int streams, int seconds, int batch, int pullLimit, int warmup, int probes, boolean jdkStreams) {}
