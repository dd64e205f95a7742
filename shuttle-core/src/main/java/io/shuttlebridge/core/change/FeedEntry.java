package io.shuttlebridge.core.change;

/** A change as it stands in one database's feed, at local position {@code seq}. */
public record FeedEntry(long seq, Change change) {}
