package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.DurationText;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Devices whose clocks are off the hub's, each in a way of its own drawn from the simulation's
 * {@link Random}: ahead by more than the hub's skew bound (minutes to ten years), ahead within it,
 * behind (a minute to a day), or jumping between such offsets as the schedule runs. The hub keeps the
 * simulation's clock. Among the first three devices one is ahead beyond the bound, one behind and one
 * jumping. Each node's engine reads its clock, and so does SQLite's 'now' on its connections (one
 * {@link SqliteNow} per node). Close it after the connections it prepared.
 */
public final class ClockSkews implements NodeTime, AutoCloseable {
    /** How a device's clock is off. */
    enum Kind {
        AHEAD_BEYOND_BOUND,
        BEHIND,
        JUMPING,
        AHEAD_WITHIN_BOUND,
        ON_TIME
    }

    private static final long MINUTE = 60_000;
    private static final long TEN_YEARS = 3_652L * 24 * 60 * MINUTE;

    private final MillisClock base;
    private final long boundMillis;
    private final Random random;
    private final Map<String, Kind> kinds = new LinkedHashMap<>();
    private final Map<String, SkewedClock> clocks = new LinkedHashMap<>();
    private final Map<String, SqliteNow> nows = new LinkedHashMap<>();

    /**
     * @param base the simulation's clock, the hub's
     * @param boundMillis the hub's skew bound
     * @param devices how many devices ({@code device0} ...)
     */
    public ClockSkews(MillisClock base, long boundMillis, int devices, Random random) {
        this.base = base;
        this.boundMillis = boundMillis;
        this.random = random;
        List<Kind> first = new ArrayList<>(List.of(Kind.AHEAD_BEYOND_BOUND, Kind.BEHIND, Kind.JUMPING));
        Collections.shuffle(first, random);
        for (int i = 0; i < devices; i++) {
            Kind kind = i < first.size() ? first.get(i) : Kind.values()[random.nextInt(Kind.values().length)];
            String name = "device" + i;
            kinds.put(name, kind);
            clocks.put(name, new SkewedClock(base, offset(kind == Kind.JUMPING ? anyButJumping() : kind)));
        }
        clocks.put("hub", new SkewedClock(base, 0));
    }

    @Override
    public MillisClock clock(String node) {
        return require(node);
    }

    @Override
    public synchronized ShuttleDatabase.ConnectionSetup connections(String node) {
        return nows.computeIfAbsent(node, n -> new SqliteNow(require(n)));
    }

    /** A step of the schedule: now and then, a jumping clock jumps to another offset. */
    public void step() {
        kinds.forEach((node, kind) -> {
            if (kind == Kind.JUMPING && random.nextInt(12) == 0) {
                clocks.get(node).offset(offset(anyButJumping()));
            }
        });
    }

    /** One line per device: how its clock is off. */
    public List<String> describe() {
        List<String> out = new ArrayList<>();
        kinds.forEach((node, kind) -> {
            long offset = clocks.get(node).offsetMillis();
            String now = offset == 0 ? "on time" : DurationText.of(offset) + (offset > 0 ? " ahead" : " behind");
            out.add(node + " " + kind.name().toLowerCase().replace('_', ' ') + " (" + now
                    + (kind == Kind.JUMPING ? " at the end" : "") + ")");
        });
        return out;
    }

    private Kind anyButJumping() {
        Kind[] steady = {Kind.AHEAD_BEYOND_BOUND, Kind.BEHIND, Kind.AHEAD_WITHIN_BOUND, Kind.ON_TIME};
        return steady[random.nextInt(steady.length)];
    }

    /** An offset of the kind: ahead beyond the bound (a minute past it to ten years), within it, behind, none. */
    private long offset(Kind kind) {
        return switch (kind) {
            case AHEAD_BEYOND_BOUND ->
                random.nextBoolean()
                        ? boundMillis + MINUTE + random.nextLong(60 * MINUTE)
                        : boundMillis + random.nextLong(TEN_YEARS);
            case AHEAD_WITHIN_BOUND -> 1 + random.nextLong(Math.max(1, boundMillis - MINUTE));
            case BEHIND -> -(MINUTE + random.nextLong(24 * 60 * MINUTE));
            case ON_TIME, JUMPING -> 0;
        };
    }

    private synchronized SkewedClock require(String node) {
        SkewedClock c = clocks.get(node);
        if (c == null && node.startsWith("device")) {
            // a device made during the run (a copy of another's file, on a machine of its own): on time
            kinds.put(node, Kind.ON_TIME);
            c = new SkewedClock(base, 0);
            clocks.put(node, c);
        }
        if (c == null) {
            throw new IllegalArgumentException("no clock for node " + node);
        }
        return c;
    }

    @Override
    public synchronized void close() {
        RuntimeException first = null;
        for (SqliteNow n : nows.values()) {
            try {
                n.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        nows.clear();
        if (first != null) {
            throw first;
        }
    }
}
