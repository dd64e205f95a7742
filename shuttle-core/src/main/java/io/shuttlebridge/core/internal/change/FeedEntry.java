package io.shuttlebridge.core.internal.change;

import io.shuttlebridge.core.change.Change;

/** A change as it stands in one database's feed, at local position {@code seq}. */
public record FeedEntry(long seq, Change change) {}
