package io.shuttlebridge.core.internal.dialect;

/** Where the local clock stands: the next feed seq and a fresh hybrid logical clock stamp. */
public record ClockPosition(long seq, long hlc) {}
