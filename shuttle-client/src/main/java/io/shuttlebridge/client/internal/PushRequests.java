package io.shuttlebridge.client.internal;

import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.protocol.WireCodec;
import io.shuttlebridge.core.protocol.HubLimits;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.PushResult;
import java.util.ArrayList;
import java.util.List;

/**
 * A page of changes as push request bodies within a hub's limits: no more changes than its batch
 * limit and no more bytes than its body limit in any one, in the page's order; and the results of
 * those requests added up into one.
 */
public final class PushRequests {
    private PushRequests() {}

    /** A push request: its body, and how many of the page's changes it carries. */
    public record Request(byte[] body, int changes) {}

    /** The request bodies of a page. One change larger than the body limit goes alone, as it is: the hub says why it refuses it. */
    public static List<byte[]> bodies(String fromNode, List<Change> changes, HubLimits limits) {
        return requests(fromNode, changes, limits).stream().map(Request::body).toList();
    }

    /** The requests of a page, in its order ({@link #bodies}). */
    public static List<Request> requests(String fromNode, List<Change> changes, HubLimits limits) {
        List<Request> out = new ArrayList<>();
        split(fromNode, changes, limits, out);
        return out;
    }

    private static void split(String fromNode, List<Change> changes, HubLimits limits, List<Request> out) {
        if (changes.size() > limits.maxBatch()) {
            for (int from = 0; from < changes.size(); from += limits.maxBatch()) {
                split(fromNode, changes.subList(from, Math.min(changes.size(), from + limits.maxBatch())), limits, out);
            }
            return;
        }
        byte[] body = WireCodec.pushRequestBytes(fromNode, changes);
        if (body.length > limits.maxBodyBytes() && changes.size() > 1) {
            int half = changes.size() / 2;
            split(fromNode, changes.subList(0, half), limits, out);
            split(fromNode, changes.subList(half, changes.size()), limits, out);
            return;
        }
        out.add(new Request(body, changes.size()));
    }

    /** Two results of consecutive requests as one: counts added, lists joined, the later hub position and pending count. */
    public static PushResult add(PushResult a, PushResult b) {
        return add(a, b, 0);
    }

    /**
     * {@link #add(PushResult, PushResult)}, where {@code b} answered a request whose first change is at
     * {@code offset} in the page: the positions of the changes it re-stamped or refused are moved by as much.
     */
    public static PushResult add(PushResult a, PushResult b, int offset) {
        List<PushResult.Restamped> restamped = new ArrayList<>(a.restamped());
        for (PushResult.Restamped x : b.restamped()) {
            restamped.add(new PushResult.Restamped(x.index() + offset, x.stamp(), x.newHlc(), x.aheadMillis()));
        }
        List<PushResult.Refusal> refused = new ArrayList<>(a.refused());
        for (PushResult.Refusal x : b.refused()) {
            refused.add(new PushResult.Refusal(x.index() + offset, x.stamp(), x.code(), x.message(), x.hubRow()));
        }
        List<ConflictRecord> conflicts = new ArrayList<>(a.conflicts());
        conflicts.addAll(b.conflicts());
        List<Stamp> rejected = new ArrayList<>(a.rejected());
        rejected.addAll(b.rejected());
        return new PushResult(
                a.applied() + b.applied(),
                a.duplicates() + b.duplicates(),
                a.superseded() + b.superseded(),
                b.pending(),
                conflicts,
                Math.max(a.hubSeq(), b.hubSeq()),
                rejected,
                restamped,
                refused,
                Math.max(a.ticket(), b.ticket()));
    }
}
