package io.shuttlebridge.core.bundle;

/**
 * What a bundle says about itself.
 *
 * @param bundleId unique id of this bundle
 * @param sourceNode the node that wrote it
 * @param targetNode the peer it was made for
 * @param createdAt ISO-8601 instant
 * @param schemaFingerprint SHA-256 over the synced tables' names, keys, replicated columns and policies
 * @param changeCount number of changes inside
 * @param contentHash SHA-256 over the sorted SHA-256 digests of every change's full content
 * @param fromSeq the source's feed position the bundle starts after (what the target had acknowledged)
 * @param toSeq the source's feed position the bundle covers up to
 * @param ackSeq how far the source has received the target's own feed (an acknowledgement carried back)
 */
public record BundleManifest(
        String bundleId,
        String sourceNode,
        String targetNode,
        String createdAt,
        String schemaFingerprint,
        long changeCount,
        String contentHash,
        long fromSeq,
        long toSeq,
        long ackSeq) {
    public static final int FORMAT = 1;
}
