package io.shuttlebridge.core.id;

import static io.shuttlebridge.core.id.KSortedId.EPOCH_MILLIS;
import static io.shuttlebridge.core.id.KSortedId.MAX_SEQUENCE;
import static io.shuttlebridge.core.id.KSortedId.MAX_SHORT_ID;
import static io.shuttlebridge.core.id.KSortedId.MAX_TIMESTAMP;
import static io.shuttlebridge.core.id.KSortedId.SEQUENCE_BITS;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Generates {@link KSortedId k-sorted ids} for one shortId.
 *
 * <p>{@link #next()} is thread-safe and lock-free. Every id it returns is strictly greater than
 * every id it returned before (in the order the calls took effect), so ids are unique per
 * generator, each thread sees strictly increasing ids, and two generators with different shortIds
 * never produce the same id.
 *
 * <h2>Logical time</h2>
 *
 * The generator keeps its last (millisecond, sequence) pair and never goes below it:
 *
 * <ul>
 *   <li><b>New millisecond.</b> When the clock is past the last millisecond, the id takes the
 *       clock's millisecond and sequence 0.
 *   <li><b>Same millisecond.</b> Otherwise the sequence is incremented.
 *   <li><b>Sequence exhausted.</b> After the 4096th id of a millisecond the generator does not
 *       sleep or spin: it borrows the next millisecond logically (sequence 0 of {@code ms + 1})
 *       even though the clock has not reached it yet. The next id therefore always has a later
 *       millisecond, nothing ever blocks, and a clock that does not move (as in tests) cannot hang
 *       the caller. The cost is that, while more than 4096 ids per millisecond are requested, id
 *       timestamps run slightly ahead of the clock; they fall back in step as soon as demand
 *       drops.
 *   <li><b>Clock stepping backwards.</b> When the clock reads earlier than the last millisecond
 *       (an NTP correction, a VM resumed), the generator keeps counting from the last millisecond
 *       as above until the clock catches up. Ids never repeat and never decrease.
 * </ul>
 *
 * <p>Both cases let the generator's logical time run ahead of the clock. That lead is bounded by
 * {@link #maxClockRegression()} (default {@link #DEFAULT_MAX_CLOCK_REGRESSION 5 seconds}): if
 * producing an id would put its timestamp further ahead of the clock than the bound, {@code
 * next()} throws a {@link ShuttleException} with {@link ErrorCode#ID_GENERATION} and leaves the
 * generator unchanged, so it works again as soon as the clock has caught up to within the bound.
 * The bound keeps ids close to real time and limits the window in which a restarted process
 * (which starts again from the clock) could repeat ids issued before the restart; {@link
 * #observe(long)} closes that window when the last persisted id is known.
 */
public final class KSortedIdGenerator {

    /** Default bound on how far ids may run ahead of the clock: 5 seconds. */
    public static final Duration DEFAULT_MAX_CLOCK_REGRESSION = Duration.ofSeconds(5);

    private final int shortId;
    private final MillisClock clock;
    private final long maxClockRegressionMillis;

    /**
     * The last issued (or observed) position, packed as {@code msSinceEpoch << 12 | sequence}; -1
     * before the first id. Adding 1 moves to the next sequence number and carries into the next
     * millisecond after sequence 4095, which is exactly the exhaustion rule.
     */
    private final AtomicLong last = new AtomicLong(-1);

    /**
     * Creates a generator with the {@linkplain #DEFAULT_MAX_CLOCK_REGRESSION default} bound on
     * clock regression.
     *
     * @param shortId this node's shortId, 0..1023
     * @param clock the wall clock
     * @throws ShuttleException {@link ErrorCode#ID_GENERATION} if {@code shortId} is out of range
     */
    public KSortedIdGenerator(int shortId, MillisClock clock) {
        this(shortId, clock, DEFAULT_MAX_CLOCK_REGRESSION);
    }

    /**
     * Creates a generator.
     *
     * @param shortId this node's shortId, 0..1023
     * @param clock the wall clock
     * @param maxClockRegression how far the generator's logical time may run ahead of the clock
     *     (because the clock stepped back or because more than 4096 ids per millisecond were asked
     *     for) before {@link #next()} refuses to produce ids; zero or more, at millisecond precision
     * @throws ShuttleException {@link ErrorCode#ID_GENERATION} if {@code shortId} is out of range,
     *     {@link ErrorCode#INVALID_ARGUMENT} if {@code maxClockRegression} is negative
     */
    public KSortedIdGenerator(int shortId, MillisClock clock, Duration maxClockRegression) {
        if (shortId < 0 || shortId > MAX_SHORT_ID) {
            throw new ShuttleException(ErrorCode.ID_GENERATION, KSortedId.shortIdOutOfRange(shortId));
        }
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(maxClockRegression, "maxClockRegression");
        if (maxClockRegression.isNegative()) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "maxClockRegression must be zero or more, got " + maxClockRegression + ".");
        }
        this.shortId = shortId;
        this.clock = clock;
        this.maxClockRegressionMillis = saturatedMillis(maxClockRegression);
    }

    /**
     * Returns a new id, strictly greater than every id this generator returned before.
     *
     * @throws ShuttleException {@link ErrorCode#ID_GENERATION} if the clock reads before {@link
     *     KSortedId#EPOCH} or after the end of the 41-bit range, or if the id would run further
     *     ahead of the clock than {@link #maxClockRegression()} (see the class description)
     */
    public long next() {
        while (true) {
            long prev = last.get();
            // Read the clock after the state, so that a slow thread cannot pair a stale clock
            // reading with a newer state and mistake it for a regression.
            long now = sinceEpoch(clock.millis());
            long next = Math.max(now << SEQUENCE_BITS, prev + 1);
            long ms = next >>> SEQUENCE_BITS;
            if (ms - now > maxClockRegressionMillis) {
                throw clockBehind(now, ms);
            }
            if (ms > MAX_TIMESTAMP) {
                throw new ShuttleException(
                        ErrorCode.ID_GENERATION,
                        "The id generator with shortId " + shortId + " has used up the 41-bit time range of ids,"
                                + " which ends at " + KSortedId.describeMillis(EPOCH_MILLIS + MAX_TIMESTAMP) + ".");
            }
            if (last.compareAndSet(prev, next)) {
                return KSortedId.pack(ms, shortId, (int) (next & MAX_SEQUENCE));
            }
        }
    }

    /**
     * Fast-forwards the generator past an existing id, typically the largest id found in the
     * database at start-up: every later {@link #next()} returns an id whose (millisecond,
     * sequence) is greater than that of {@code id}, hence greater than {@code id} itself when it
     * has this generator's shortId. Observing an id at or below the current position does
     * nothing. There is no bound check here; if {@code id} lies further ahead of the clock than
     * {@link #maxClockRegression()}, {@code next()} refuses to produce ids until the clock catches
     * up, which is what prevents duplicates after a restart across a clock step back.
     *
     * @throws ShuttleException {@link ErrorCode#INVALID_ARGUMENT} if {@code id} is negative
     */
    public void observe(long id) {
        long position = (KSortedId.unixMillis(id) - EPOCH_MILLIS) << SEQUENCE_BITS | KSortedId.sequence(id);
        last.accumulateAndGet(position, Math::max);
    }

    /** Returns this generator's shortId. */
    public int shortId() {
        return shortId;
    }

    /** Returns how far ids may run ahead of the clock before {@link #next()} refuses. */
    public Duration maxClockRegression() {
        return Duration.ofMillis(maxClockRegressionMillis);
    }

    @Override
    public String toString() {
        return "KSortedIdGenerator[shortId=" + shortId + ", maxClockRegression=" + maxClockRegression() + "]";
    }

    private long sinceEpoch(long unixMillis) {
        long sinceEpoch = unixMillis - EPOCH_MILLIS;
        if (unixMillis < EPOCH_MILLIS || sinceEpoch > MAX_TIMESTAMP) {
            throw new ShuttleException(
                    ErrorCode.ID_GENERATION,
                    "The clock reads " + KSortedId.describeMillis(unixMillis) + " (" + unixMillis + " ms), outside"
                            + " the range ids can represent (" + KSortedId.EPOCH + " to "
                            + KSortedId.describeMillis(EPOCH_MILLIS + MAX_TIMESTAMP) + "). Check the system clock.");
        }
        return sinceEpoch;
    }

    private ShuttleException clockBehind(long now, long ms) {
        return new ShuttleException(
                ErrorCode.ID_GENERATION,
                "Cannot generate an id with shortId " + shortId + ": the clock reads "
                        + KSortedId.describeMillis(EPOCH_MILLIS + now) + ", " + TimeText.seconds(ms - now)
                        + " behind the next id's time " + Instant.ofEpochMilli(EPOCH_MILLIS + ms)
                        + ", and ids may run at most " + TimeText.seconds(maxClockRegressionMillis)
                        + " ahead of the clock. Ids are refused rather than duplicated; they resume once the clock"
                        + " catches up. Either the clock was set back (check NTP), or more than "
                        + (MAX_SEQUENCE + 1) + " ids per millisecond were requested for a sustained period.");
    }

    private static long saturatedMillis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
