package io.shuttlebridge.core.id;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A hybrid logical clock (Kulkarni et al., "Logical Physical Clocks", 2014) producing {@link Hlc}
 * timestamps. Thread-safe and lock-free.
 *
 * <p>With {@code (l, c)} the last timestamp of this clock and {@code pt} the physical clock:
 *
 * <ul>
 *   <li><b>{@link #now()}</b> (local event or send): {@code l' = max(l, pt)}; {@code c' = c + 1}
 *       if {@code l' == l}, else 0.
 *   <li><b>{@link #receive(long) receive(rl, rc)}</b>: {@code l' = max(l, rl, pt)}; {@code c'} is
 *       {@code max(c, rc) + 1} if {@code l' == l == rl}, {@code c + 1} if only {@code l' == l},
 *       {@code rc + 1} if only {@code l' == rl}, else 0.
 * </ul>
 *
 * Every timestamp returned is strictly greater than every timestamp this clock returned or
 * observed before, including when the physical clock steps backwards: the clock then keeps its
 * logical millisecond and counts up until the physical clock catches up.
 *
 * <p><b>Counter overflow.</b> When the counter would exceed 65535 within one logical millisecond,
 * the clock moves to the next millisecond with counter 0 instead of wrapping; the logical time then
 * runs up to a millisecond ahead of the physical clock, which the next tick absorbs.
 *
 * <p><b>Skew bound.</b> {@link #receive(long)} rejects a remote timestamp whose millisecond is more
 * than {@link #maxSkew()} (default {@link #DEFAULT_MAX_SKEW 60 s}) ahead of the physical clock,
 * with {@link ErrorCode#CLOCK_SKEW}, and leaves the clock untouched: one node with a wrong clock
 * must not drag every other node's timestamps into the future.
 */
public final class HlcClock {

    /** Default bound on how far a received timestamp may be ahead of the local clock: 60 seconds. */
    public static final Duration DEFAULT_MAX_SKEW = Duration.ofSeconds(60);

    private final MillisClock clock;
    private final long maxSkewMillis;

    /** The last timestamp returned or observed; 0 before the first one. */
    private final AtomicLong last = new AtomicLong(0);

    /** Creates a clock with the {@linkplain #DEFAULT_MAX_SKEW default} skew bound. */
    public HlcClock(MillisClock clock) {
        this(clock, DEFAULT_MAX_SKEW);
    }

    /**
     * Creates a clock.
     *
     * @param clock the physical clock
     * @param maxSkew how far ahead of the physical clock a received timestamp may be; zero or more,
     *     at millisecond precision
     * @throws ShuttleException {@link ErrorCode#INVALID_ARGUMENT} if {@code maxSkew} is negative
     */
    public HlcClock(MillisClock clock, Duration maxSkew) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(maxSkew, "maxSkew");
        if (maxSkew.isNegative()) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "maxSkew must be zero or more, got " + maxSkew + ".");
        }
        long millis;
        try {
            millis = maxSkew.toMillis();
        } catch (ArithmeticException e) {
            millis = Long.MAX_VALUE;
        }
        this.maxSkewMillis = millis;
    }

    /**
     * Returns a timestamp for a local event or a message being sent, strictly greater than every
     * timestamp this clock returned or observed before.
     */
    public long now() {
        while (true) {
            long prev = last.get();
            long pt = physical();
            // max(pt << 16, prev + 1) is exactly the send rule: if pt > l the first term wins
            // (counter 0); otherwise prev + 1 is (l, c + 1), carrying into l + 1 when c = 65535.
            long next = Math.max(pt << Hlc.COUNTER_BITS, increment(prev));
            if (last.compareAndSet(prev, next)) {
                return next;
            }
        }
    }

    /**
     * Merges a timestamp received from another node and returns the timestamp of the receive
     * event, strictly greater than both {@code remote} and every timestamp this clock returned or
     * observed before.
     *
     * @throws ShuttleException {@link ErrorCode#CLOCK_SKEW} if {@code remote} is more than {@link
     *     #maxSkew()} ahead of the physical clock (the clock is then left unchanged); {@link
     *     ErrorCode#INVALID_ARGUMENT} if {@code remote} is negative
     */
    public long receive(long remote) {
        long remoteMillis = Hlc.millis(remote);
        while (true) {
            long prev = last.get();
            long pt = physical();
            long ahead = remoteMillis - pt;
            if (ahead > maxSkewMillis) {
                throw tooFarAhead(remote, pt, ahead);
            }
            // max(pt << 16, prev + 1, remote + 1) is exactly the receive rule: whichever of l, rl,
            // pt is largest decides the millisecond; when l == rl, max(prev, remote) + 1 is
            // (l, max(c, rc) + 1); when pt alone is largest the counter is 0; overflow carries.
            long next = Math.max(pt << Hlc.COUNTER_BITS, Math.max(increment(prev), increment(remote)));
            if (last.compareAndSet(prev, next)) {
                return next;
            }
        }
    }

    /**
     * Moves the clock to at least {@code hlc} without an event of its own: afterwards every
     * timestamp returned is greater than {@code hlc}. Does nothing if the clock is already at or past
     * it, and returns the clock's resulting {@link #current() current} value.
     *
     * <p>This is the receive rule without the skew check and without stamping the receive event:
     * the next {@link #now()} is then exactly what {@link #receive(long)} would have returned. It is
     * used at start-up with the last timestamp persisted in the database, and by the sync engine for
     * every stamp it receives or reads from its database's clock position (the engine's clock never
     * calls {@link #receive(long)}; a hub engine applies its {@link #maxSkew()} to pushed changes
     * itself, re-stamping one stamped further ahead before this clock observes anything of it).
     *
     * <p>No skew check is made: at start-up the value is this node's own history, and after a
     * restart the physical clock may legitimately be behind it (for example after a clock
     * correction); refusing it would leave the node unable to start, and accepting it keeps
     * timestamps monotonic, which is what matters; the clock simply counts from the logical
     * millisecond until the physical clock catches up. For received changes, what happens to a stamp
     * too far ahead is a policy of whoever accepts the change (a hub re-stamps it, DESIGN §8), decided
     * before the change is applied, not a property of the clock.
     *
     * @throws ShuttleException {@link ErrorCode#INVALID_ARGUMENT} if {@code hlc} is negative
     */
    public long observe(long hlc) {
        Hlc.millis(hlc); // validates
        return last.accumulateAndGet(hlc, Math::max);
    }

    /**
     * Returns the last timestamp returned or observed, without advancing the clock (0 before the
     * first one). Not to be used to stamp an event: use {@link #now()}.
     */
    public long current() {
        return last.get();
    }

    /** Returns how far ahead of the physical clock a received timestamp may be. */
    public Duration maxSkew() {
        return Duration.ofMillis(maxSkewMillis);
    }

    @Override
    public String toString() {
        return "HlcClock[current=" + Hlc.toString(current()) + ", maxSkew=" + maxSkew() + "]";
    }

    private long physical() {
        long pt = clock.millis();
        if (pt < 0 || pt > Hlc.MAX_MILLIS) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "The clock reads " + pt + " ms, outside the range of HLC timestamps (0 to " + Hlc.MAX_MILLIS
                            + " ms since 1970-01-01T00:00:00Z). Check the system clock.");
        }
        return pt;
    }

    private static long increment(long hlc) {
        if (hlc == Long.MAX_VALUE) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "The HLC has reached its largest value " + Hlc.toString(hlc) + ".");
        }
        return hlc + 1;
    }

    private ShuttleException tooFarAhead(long remote, long pt, long aheadMillis) {
        return new ShuttleException(
                ErrorCode.CLOCK_SKEW,
                "Rejected a remote HLC timestamp " + Hlc.toString(remote) + ": it is " + TimeText.seconds(aheadMillis)
                        + " ahead of this node's clock (" + Hlc.formatMillis(pt)
                        + "), more than the accepted skew of " + TimeText.seconds(maxSkewMillis)
                        + ". The local clock was not advanced. Fix the clock of the sending node or of this node"
                        + " (for example with NTP) and sync again, or raise the maximum clock skew if such a"
                        + " difference is expected.");
    }
}
