package io.shuttlebridge.bench.load;

/** The hub's largest heap in use and RSS while a phase runs, sampled twice a second without forcing collections. */
final class MemoryPeak {
    private final Thread sampler;
    private volatile boolean running = true;
    private volatile MemorySample peak = new MemorySample(-1, -1);

    private MemoryPeak(LoadHub hub) {
        this.sampler = Thread.ofVirtual().name("load-memory-peak").start(() -> {
            while (running) {
                peak = peak.max(hub.memory(false));
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    static MemoryPeak start(LoadHub hub) {
        return new MemoryPeak(hub);
    }

    MemorySample stop() throws InterruptedException {
        running = false; // not interrupted: a sample being read from the hub process finishes
        sampler.join();
        return peak;
    }
}
