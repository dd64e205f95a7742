package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import java.util.List;
import java.util.Random;

/** An in-process transport that duplicates deliveries and loses acknowledgements, at random. */
final class FaultyTransport implements Transport {
    private final Transport inner;
    private final Random random;
    private final boolean dup;
    private final boolean lostAck;

    FaultyTransport(Transport inner, Random random, boolean dup, boolean lostAck) {
        this.inner = inner;
        this.random = random;
        this.dup = dup;
        this.lostAck = lostAck;
    }

    @Override
    public PushResult push(String fromNode, List<Change> changes) {
        PushResult r = inner.push(fromNode, changes);
        if (dup && random.nextInt(4) == 0) {
            r = inner.push(fromNode, changes); // the same batch delivered twice
        }
        if (lostAck && random.nextInt(4) == 0) {
            throw new ShuttleException(ErrorCode.TRANSPORT, "acknowledgement lost (injected)"); // hub committed, sender never heard
        }
        return r;
    }

    @Override
    public PullResult pull(String forNode, long since, int limit) {
        PullResult r = inner.pull(forNode, since, limit);
        if (lostAck && random.nextInt(6) == 0) {
            throw new ShuttleException(ErrorCode.TRANSPORT, "response lost (injected)");
        }
        return r;
    }

    @Override
    public PullResult snapshot(String forNode, long after, int limit) {
        return inner.snapshot(forNode, after, limit);
    }
}
