package io.shuttlebridge.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Devices running their rounds together for a while, each on a virtual thread, started at one
 * moment; the phase lasts until the last device's last round ends (a round starts before the end
 * of the phase's time), and its rate is the rows the hub applied over that time.
 */
final class LoadPhase {
    private LoadPhase() {}

    /** What the devices of a phase did together. */
    record Result(
            int devices,
            long rows,
            long pushes,
            long pulled,
            double seconds,
            Samples.Percentiles push,
            Samples.Percentiles pull) {
        double rowsPerSecond() {
            return rows / seconds;
        }
    }

    /** What the phases share: the hub, the shape of a round, the row ids, the failures, the feed's position. */
    record Setup(HubWire hub, int batch, int pullLimit, AtomicLong ids, Errors errors, AtomicLong hubSeq) {}

    static Result run(List<VirtualDevice> devices, Duration length, Setup s) throws Exception {
        long position;
        try {
            position = s.hub().feedPosition(devices.getFirst().node(), s.errors());
        } catch (HubWire.CallFailed e) {
            position = s.hubSeq().get(); // the furthest position a push reached: pulls start there
        }
        for (VirtualDevice d : devices) {
            d.cursorAt(position);
        }
        int n = devices.size();
        VirtualDevice.Tally[] tallies = new VirtualDevice.Tally[n];
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong deadline = new AtomicLong();
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int index = i;
            threads.add(Thread.ofVirtual().name("load-device-" + i).start(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                tallies[index] = devices.get(index)
                        .run(s.hub(), deadline.get(), s.ids(), s.batch(), s.pullLimit(), s.errors(), s.hubSeq());
            }));
        }
        ready.await();
        long start = System.nanoTime();
        deadline.set(start + length.toNanos());
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        List<Samples> push = new ArrayList<>(n);
        List<Samples> pull = new ArrayList<>(n);
        long rows = 0;
        long pulled = 0;
        for (VirtualDevice.Tally t : tallies) {
            if (t == null) {
                throw new IllegalStateException("a device of the load stopped without a tally");
            }
            push.add(t.push);
            pull.add(t.pull);
            rows += t.rows;
            pulled += t.pulled;
        }
        Samples.Percentiles pushes = Samples.merge(push);
        return new Result(n, rows, pushes.count(), pulled, seconds, pushes, Samples.merge(pull));
    }
}
