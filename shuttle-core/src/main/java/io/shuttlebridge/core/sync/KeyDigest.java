package io.shuttlebridge.core.sync;

/**
 * A compact summary of a set of row keys: how many, and the sum of a 64-bit hash of each. Two
 * replicas holding the same keys of a table have the same digest whatever order they read them in,
 * so a device learns whether it holds exactly the rows of a table that the hub would give it
 * without either side sending the keys (DESIGN §9, move-in and move-out).
 *
 * @param rows how many keys
 * @param sum the sum, modulo 2^64, of each key's hash
 */
public record KeyDigest(long rows, long sum) {
    public static final KeyDigest EMPTY = new KeyDigest(0, 0);
}
