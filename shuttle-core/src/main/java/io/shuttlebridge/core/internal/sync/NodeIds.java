package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.util.UUID;

/** Checks the node uuids sync calls are given. Internal. */
public final class NodeIds {
    private NodeIds() {}

    public static void require(String node) {
        try {
            UUID.fromString(node);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "node must be a UUID, got '" + node + "'", e);
        }
    }
}
