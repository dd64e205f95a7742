package io.shuttlebridge.bench.load;

import java.net.URI;

/**
 * A hub the benchmark did not start ({@code --hub URL}); its RSS is read from /proc when its
 * process id is given and it runs on this machine, its heap is not known.
 */
final class RemoteHub implements LoadHub {
    private final URI url;
    private final String token;
    private final long pid;

    RemoteHub(URI url, String token, long pid) {
        this.url = url;
        this.token = token;
        this.pid = pid;
    }

    @Override
    public URI url() {
        return url;
    }

    @Override
    public String token() {
        return token;
    }

    @Override
    public String description() {
        return "the hub at " + url + " (not started by the benchmark)";
    }

    @Override
    public String memoryAttribution() {
        return pid > 0
                ? "RSS of process " + pid + " (--hub-pid); its heap is not known"
                : "not measured (--hub-pid for RSS)";
    }

    @Override
    public MemorySample memory(boolean collect) {
        return new MemorySample(-1, pid > 0 ? MemorySample.rss(pid) : -1);
    }

    @Override
    public long cpuNanos() {
        return pid > 0 ? ProcessCpu.of(pid) : -1;
    }

    @Override
    public void close() {}
}
