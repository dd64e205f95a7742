package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Stamp;
import java.util.Map;

/**
 * What the conflict rules ({@link ApplyRules}) make of one incoming change. An {@link Ask} needs one
 * more fact that costs a query (or the table's resolver): the apply fetches it and hands it to the
 * stage that asked. An {@link Act} is the decision, which the apply carries out as it is.
 */
sealed interface Verdict {

    /** A fact the next stage of the rules needs. */
    sealed interface Ask extends Verdict {}

    /** What the apply does with the change. */
    sealed interface Act extends Verdict {
        /** Whether carrying it out writes the incoming change's values as they arrived. */
        default boolean takesAsItIs() {
            return false;
        }

        /** Whether carrying it out writes the incoming row's values (or a merge of them), so the rows they refer to must be here. */
        default boolean needsParents() {
            return false;
        }
    }

    /** Does the upsert refer to a parent row that is not here? */
    record CheckParents() implements Ask {}

    /** LWW, a parent is missing: is a newer change held for the row already? */
    record CheckHeld(String reason) implements Ask {}

    /** FIELD_LWW over a live row: its column stamps and, when {@code values} (an upsert), its values. */
    record ReadColumns(boolean values) implements Ask {}

    /** A write concurrent with the live local row: the row's values. */
    record ReadLocal() implements Ask {}

    /** A held upsert the hub would write, whose parent is missing: the newest tombstone of its missing parents. */
    record CheckDeletedParent() implements Ask {}

    /** A held upsert refused over the live local row, which stands: the row's values. */
    record ReadStanding() implements Ask {}

    /** CUSTOM: the table's resolver decides between {@code local} (null: deleted here) and the incoming row. */
    record AskResolver(Map<String, Object> local) implements Ask {}

    /** The row holds this very write already. */
    record Duplicate() implements Act {}

    /**
     * Older than what the row holds under the policy: dropped and counted; when {@code reject}, its
     * writer is told it was not taken (and must not build on it).
     */
    record Superseded(boolean reject) implements Act {}

    /**
     * A change this hub re-stamped to its own clock is older than the row it holds, which stands and is
     * sent again: the change's writer compared the row with the far later stamp it wrote the change
     * with, and may have refused it. Also a resent copy of a write ({@link Arrival#RESENT}) over another
     * entry of the row: the sender kept the copy, and takes the row from the hub again. Counted as
     * superseded; when {@code reject}, its writer is told.
     */
    record Resent(boolean reject) implements Act {}

    /** A parent row has not arrived: the change waits in the pending queue. */
    record Hold(String reason) implements Act {}

    /** Written as it arrived; it was made after any conflict open on the row, which it settles. */
    record Take() implements Act {
        @Override
        public boolean takesAsItIs() {
            return true;
        }

        @Override
        public boolean needsParents() {
            return true;
        }
    }

    /**
     * FIELD_LWW: the incoming write is written as {@code change}, under its own stamp: with a stamp for
     * every column, and when {@code merged} with the columns this row holds newer.
     */
    record TakeColumns(Change change, boolean merged) implements Act {
        @Override
        public boolean takesAsItIs() {
            return !merged;
        }

        @Override
        public boolean needsParents() {
            return true;
        }
    }

    /**
     * FIELD_LWW: the merge keeps newer columns the sender lacks, so it is written as a new write of this
     * node (a fresh stamp, {@code version} on {@code base}) that flows back to the sender too.
     */
    record MergeColumns(Map<String, Object> values, Map<String, Stamp> stamps, long version, long base) implements Act {
        @Override
        public boolean needsParents() {
            return true;
        }
    }

    /**
     * A concurrent write becomes a conflict record with both sides ({@code local} null: deleted here);
     * then the hub resends its row, which stands, or a device adopts the incoming row from its hub.
     */
    record RecordConflict(Map<String, Object> local, Then then) implements Act {
        @Override
        public boolean takesAsItIs() {
            return then == Then.ADOPT;
        }

        @Override
        public boolean needsParents() {
            return then == Then.ADOPT;
        }
    }

    /** After a conflict is recorded. */
    enum Then {
        RESEND,
        ADOPT
    }

    /**
     * The resolver keeps this replica's row: the incoming change counts as superseded and its writer is
     * told; the hub resends its row ({@code rewrite} null), a device writes its row again as
     * {@code rewrite}, based on what the hub has, so the hub takes it.
     */
    record KeepLocal(Map<String, Object> local, Merged rewrite) implements Act {}

    /**
     * A row written as a new write of this node ({@code values} null: a delete), {@code version} on
     * {@code base}: a resolver's merge, or a device's row the resolver kept.
     */
    record Merged(Map<String, Object> values, long version, long base) implements Act {
        @Override
        public boolean needsParents() {
            return values != null; // a merged row may refer to the incoming row's parents
        }
    }

    /**
     * A held upsert of a row the hub never held, refused because its parent was deleted: the row's
     * deletion is written as a new write of this node ({@code version} on {@code base}), as the parent's
     * delete would have cascaded to it, so its writer deletes it too; the change is kept as a conflict
     * record against that deletion.
     */
    record Orphaned(long version, long base) implements Act {}

    // the verdicts without values, made once: the apply asks for one per change
    CheckParents CHECK_PARENTS = new CheckParents();
    ReadColumns READ_COLUMNS = new ReadColumns(false);
    ReadColumns READ_COLUMNS_AND_VALUES = new ReadColumns(true);
    ReadLocal READ_LOCAL = new ReadLocal();
    CheckDeletedParent CHECK_DELETED_PARENT = new CheckDeletedParent();
    ReadStanding READ_STANDING = new ReadStanding();
    Duplicate DUPLICATE = new Duplicate();
    Superseded SUPERSEDED = new Superseded(false);
    Superseded SUPERSEDED_REJECTED = new Superseded(true);
    /** A resent copy of a write over another entry of the row: the row stands and is sent again, nothing rejected. */
    Resent RESENT_OVER = new Resent(false);

    Take TAKE = new Take();
    /** A held change left waiting for its parents. */
    Hold WAIT = new Hold("a parent row has not arrived");
}
