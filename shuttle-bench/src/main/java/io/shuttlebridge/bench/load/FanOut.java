package io.shuttlebridge.bench.load;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fan-out of single pushes to every stream, with nothing else running: each push is timed from
 * just before it is sent until each open stream has heard of the feed position it reached (the push's
 * own answer may come before or after that). Streams that never hear of it count as errors.
 */
final class FanOut {
    private static final Duration SETTLE = Duration.ofSeconds(60);
    private static final Duration TOLD = Duration.ofSeconds(30);

    private FanOut() {}

    /** Notification times over all probes and streams, and the probe pushes' own round trips. */
    record Result(Samples.Percentiles fanout, Samples.Percentiles push) {}

    /** Runs {@code probes} single pushes from {@code prober}; null when the feed's position could not be read. */
    static Result measure(
            HubWire wire, VirtualDevice prober, StreamFleet live, int probes, AtomicLong ids, Errors errors)
            throws InterruptedException {
        long position;
        try {
            position = wire.feedPosition(prober.node(), errors);
        } catch (HubWire.CallFailed e) {
            errors.add("fan-out not measured", "the hub's feed position could not be read after the load");
            return null;
        }
        int behind = live.awaitAll(position, SETTLE);
        if (behind > 0) {
            errors.add(
                    "stream behind the feed after the load",
                    behind + " open streams had not been told of position " + position + " " + SETTLE.toSeconds()
                            + " s after the load",
                    behind);
        }
        Samples fan = new Samples();
        Samples push = new Samples();
        for (int p = 0; p < probes; p++) {
            live.arm(position + 1); // nothing else writes now: the next position any stream hears of is this push's
            long sent = System.nanoTime();
            try {
                HubWire.Pushed answer = prober.pushRows(wire, ids, 1, push);
                position = Math.max(position + 1, answer.hubSeq());
            } catch (HubWire.CallFailed e) {
                errors.add(e.kind, e.getMessage());
                try {
                    position = wire.feedPosition(prober.node(), errors);
                } catch (HubWire.CallFailed again) {
                    break;
                }
                continue;
            }
            int missed = live.collect(sent, TOLD, fan);
            if (missed > 0) {
                errors.add(
                        "stream not told of a push",
                        missed + " open streams had not heard of position " + position + " " + TOLD.toSeconds()
                                + " s after its push",
                        missed);
            }
            Thread.sleep(50);
        }
        return new Result(Samples.merge(List.of(fan)), Samples.merge(List.of(push)));
    }
}
