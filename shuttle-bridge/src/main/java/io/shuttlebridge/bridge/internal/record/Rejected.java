package io.shuttlebridge.bridge.internal.record;

/** A record refused by a stage, with every payload known at that point (later ones are null). */
public record Rejected(
        Stage stage, String rule, String error, Object[] raw, Object[] normalized, Object[] mapped, byte[] bkHash) {}
