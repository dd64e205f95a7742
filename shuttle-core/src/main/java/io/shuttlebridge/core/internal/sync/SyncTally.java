package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.internal.sync.apply.Applier;
import io.shuttlebridge.core.sync.PeerCursor;
import io.shuttlebridge.core.sync.PushResult;
import io.shuttlebridge.core.sync.SyncReport;
import java.util.ArrayList;
import java.util.List;

/** What one {@code pullThenPush} did so far, added up page by page. Internal. */
public final class SyncTally {
    private int pulled;
    private int applied;
    private int duplicates;
    private int superseded;
    private int pending;
    private int conflicts;
    private int pushed;
    private int pushDuplicates;
    private int rejected;
    private final List<SyncReport.Restamped> restamped = new ArrayList<>();

    /** A pulled page was applied (inside its transaction). */
    void applied(Applier.Outcome o) {
        applied += o.applied();
        duplicates += o.duplicates();
        superseded += o.superseded();
        pending = o.pending();
        conflicts += o.conflicts().size();
    }

    /** A pulled page of {@code changes} changes was committed. */
    void pulled(int changes) {
        pulled += changes;
    }

    /** The hub answered a pushed page. */
    void pushed(PushResult r) {
        pushed += r.applied();
        pushDuplicates += r.duplicates();
        rejected += r.refused().size();
        conflicts += r.conflicts().size();
    }

    /** The hub re-stamped these pushed rows to its clock. */
    void restamped(List<SyncReport.Restamped> rows) {
        restamped.addAll(rows);
    }

    /** The outcome recorded for the peer. */
    public String summary() {
        return "ok: pulled " + pulled + ", pushed " + pushed + ", conflicts " + conflicts
                + (rejected == 0 ? "" : ", rejected " + rejected)
                + (restamped.isEmpty() ? "" : ", re-stamped by the hub " + restamped.size());
    }

    public SyncReport report(boolean resynced, PeerCursor cursor) {
        return new SyncReport(
                pulled,
                applied,
                duplicates,
                superseded,
                pending,
                conflicts,
                pushed,
                pushDuplicates,
                resynced,
                cursor.lastPulled(),
                cursor.lastPushed(),
                restamped,
                rejected);
    }
}
