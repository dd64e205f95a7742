package io.shuttlebridge.bridge.internal.record;

/**
 * A record that passed normalize, validate, map and identity: ready for delta classification.
 *
 * @param raw values as fetched (kept for a child that has to wait for its parent)
 * @param mapped values aligned with the target columns
 * @param bkHash XXH3-128 of the canonical business key (16 bytes)
 * @param dataHash BLAKE3 of the canonical non-key, non-audit columns (32 bytes)
 * @param ord the order-preserving prefix of the business key the identity is stored under
 */
public record PreparedRecord(
        Object[] raw,
        Object[] mapped,
        byte[] bkHash,
        byte[] dataHash,
        byte[] ord,
        String rowversion,
        boolean tombstone) {}
