package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Stamp;
import java.util.List;
import java.util.Objects;

/**
 * What a hub did with a pushed batch.
 *
 * @param applied changes written
 * @param duplicates changes it already had (same row, same stamp): re-delivery is harmless
 * @param superseded changes older than what it holds under the table's policy
 * @param pending changes waiting for a parent row that has not arrived yet
 * @param conflicts conflicts recorded (rejected under VERSION_STRICT, kept for MANUAL, ...)
 * @param hubSeq the hub's feed position after the batch
 * @param rejected stamps of pushed changes the hub did not take (superseded, conflicting, kept local)
 * @param restamped pushed changes stamped further ahead of the hub's clock than its skew bound: the hub
 *     applied each under a stamp of its own clock instead, which its writer adopts for the row
 * @param refused pushed changes the hub refused to store (its rules forbid them): rejected writes, whose
 *     stamps are among {@code rejected} too
 * @param ticket the ticket the hub handed out with this answer ({@link Standing}); 0 when it gave none
 */
public record PushResult(
        int applied,
        int duplicates,
        int superseded,
        int pending,
        List<ConflictRecord> conflicts,
        long hubSeq,
        List<Stamp> rejected,
        List<Restamped> restamped,
        List<Refusal> refused,
        long ticket) {
    public PushResult {
        conflicts = List.copyOf(conflicts);
        rejected = List.copyOf(rejected);
        restamped = List.copyOf(restamped);
        refused = List.copyOf(refused);
    }

    /** A result without a ticket. */
    public PushResult(
            int applied,
            int duplicates,
            int superseded,
            int pending,
            List<ConflictRecord> conflicts,
            long hubSeq,
            List<Stamp> rejected,
            List<Restamped> restamped,
            List<Refusal> refused) {
        this(applied, duplicates, superseded, pending, conflicts, hubSeq, rejected, restamped, refused, 0);
    }

    /** This result with the ticket the hub hands out with it. */
    public PushResult withTicket(long t) {
        return new PushResult(
                applied, duplicates, superseded, pending, conflicts, hubSeq, rejected, restamped, refused, t);
    }

    /** A result in which nothing was refused. */
    public PushResult(
            int applied,
            int duplicates,
            int superseded,
            int pending,
            List<ConflictRecord> conflicts,
            long hubSeq,
            List<Stamp> rejected,
            List<Restamped> restamped) {
        this(applied, duplicates, superseded, pending, conflicts, hubSeq, rejected, restamped, List.of());
    }

    /** A result in which nothing was re-stamped. */
    public PushResult(
            int applied,
            int duplicates,
            int superseded,
            int pending,
            List<ConflictRecord> conflicts,
            long hubSeq,
            List<Stamp> rejected) {
        this(applied, duplicates, superseded, pending, conflicts, hubSeq, rejected, List.of());
    }

    /**
     * A pushed change the hub re-stamped: it was stamped {@code aheadMillis} ahead of the hub's clock,
     * more than the hub's skew bound, so that it could not win over every later write of its row. The
     * hub applied it (same row, values and origin) under {@code newHlc}, a stamp of its own clock; the
     * rules then decided as for any change.
     *
     * @param index the change's position in the pushed batch
     * @param stamp the stamp it was pushed with
     * @param newHlc the stamp the hub gave it
     * @param aheadMillis how far the pushed stamp was ahead of the hub's clock
     */
    public record Restamped(int index, Stamp stamp, long newHlc, long aheadMillis) {
        public Restamped {
            Objects.requireNonNull(stamp, "stamp");
        }
    }

    /**
     * A pushed change the hub did not store: a rejected write.
     *
     * @param index the change's position in the pushed batch
     * @param stamp the stamp it was pushed with
     * @param code why, as an error code ({@link ErrorCode#FORBIDDEN} for a rule)
     * @param message what the hub says about it
     * @param hubRow the row as the hub holds it (its latest change, a tombstone for a deleted row), which
     *     the device puts back in place of its refused write; null when the hub has no such row for it,
     *     and the device removes its own
     */
    public record Refusal(int index, Stamp stamp, ErrorCode code, String message, Change hubRow) {
        public Refusal {
            Objects.requireNonNull(stamp, "stamp");
            Objects.requireNonNull(code, "code");
        }

        /** This refusal with the hub's row as the device may see it. */
        public Refusal withHubRow(Change row) {
            return new Refusal(index, stamp, code, message, row);
        }
    }
}
