package io.shuttlebridge.core.internal.protocol;

/** What the stream tells a connected device: the hub feed has advanced to {@code hubSeq}. */
public record StreamEvent(long hubSeq) {}
