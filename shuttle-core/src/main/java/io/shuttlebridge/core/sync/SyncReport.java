package io.shuttlebridge.core.sync;

/** What one {@code pullThenPush} did. */
public record SyncReport(
        int pulled,
        int applied,
        int duplicates,
        int superseded,
        int pending,
        int conflicts,
        int pushed,
        int pushDuplicates,
        boolean resynced,
        long lastPulled,
        long lastPushed) {

    public int changed() {
        return applied + pushed;
    }
}
