package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.ConflictPolicy;
import java.util.List;
import java.util.Map;

/**
 * A conflict kept for people to see and decide: both sides, the policy, when, which nodes.
 * {@code localValues}/{@code remoteValues} are null for a deleted side.
 */
public record ConflictRecord(
        long id,
        String table,
        List<Object> key,
        ConflictPolicy policy,
        Map<String, Object> localValues,
        long localHlc,
        String localOrigin,
        long localVersion,
        Map<String, Object> remoteValues,
        long remoteHlc,
        String remoteOrigin,
        long remoteVersion,
        long remoteBase,
        String detectedAt,
        String status,
        String resolution) {

    public boolean open() {
        return "open".equals(status);
    }
}
