package io.shuttlebridge.bridge.internal.record;

/**
 * One record as fetched: values aligned with the entity's declared fields, in the source's own types.
 *
 * @param values raw values, one per declared field
 * @param rowversion the row version as text, or null
 * @param tombstone true when the source flags the record as deleted
 */
public record SourceRecord(Object[] values, String rowversion, boolean tombstone) {}
