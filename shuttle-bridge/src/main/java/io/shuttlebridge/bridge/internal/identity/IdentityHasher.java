package io.shuttlebridge.bridge.internal.identity;

import com.dynatrace.hash4j.hashing.HashValue128;
import com.dynatrace.hash4j.hashing.Hasher128;
import com.dynatrace.hash4j.hashing.Hashing;
import io.shuttlebridge.bridge.definition.EntityDefinition;
import io.shuttlebridge.bridge.internal.record.RecordRejection;
import io.shuttlebridge.bridge.internal.record.Stage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The identity stage. {@code BK_HASH} is XXH3-128 of the {@link Canonical} form of the business key
 * columns (16 bytes, 32 hex chars; a null key part is an error); {@code DATA_HASH} is BLAKE3-256 of
 * the canonical form of every other column except audit columns (32 bytes, 64 hex chars). Both depend
 * only on column names and values, so they are stable across runs, JVMs and field order. Also gives the
 * key's {@link OrderKey}, under which the identity is stored. Not thread-safe: one instance per thread.
 */
public final class IdentityHasher {
    private static final Hasher128 XXH3_128 = Hashing.xxh3_128();

    private final String[] keyNames;
    private final byte[][] keyPrefixes;
    private final int[] keyColumns;
    private final byte[][] dataPrefixes;
    private final int[] dataColumns;
    private final Canonical canonical = new Canonical();
    private final Blake3 blake3 = new Blake3();
    private final OrderKey orderKey = new OrderKey();

    public IdentityHasher(List<String> columns, List<String> keys, List<String> audit) {
        Set<String> excluded = new HashSet<>(keys);
        excluded.addAll(audit);
        List<String> data = new ArrayList<>();
        for (String c : columns) {
            if (!excluded.contains(c)) {
                data.add(c);
            }
        }
        keyNames = keys.stream().sorted(Comparator.naturalOrder()).toArray(String[]::new);
        keyPrefixes = IntStream.range(0, keyNames.length)
                .mapToObj(i -> Canonical.prefix(keyNames[i]))
                .toArray(byte[][]::new);
        keyColumns = IntStream.range(0, keyNames.length)
                .map(i -> columns.indexOf(keyNames[i]))
                .toArray();
        String[] dataNames = data.stream().sorted(Comparator.naturalOrder()).toArray(String[]::new);
        dataPrefixes = IntStream.range(0, dataNames.length)
                .mapToObj(i -> Canonical.prefix(dataNames[i]))
                .toArray(byte[][]::new);
        dataColumns = IntStream.range(0, dataNames.length)
                .map(i -> columns.indexOf(dataNames[i]))
                .toArray();
    }

    public static IdentityHasher of(EntityDefinition entity) {
        return new IdentityHasher(entity.targetColumns(), entity.keys(), entity.audit());
    }

    /** XXH3-128 of the business key; throws when a key part is null. */
    public byte[] businessKey(Object[] mapped) {
        canonical.reset();
        for (int i = 0; i < keyColumns.length; i++) {
            Object v = mapped[keyColumns[i]];
            if (v == null) {
                throw new RecordRejection(
                        Stage.IDENTITY, "business-key", "business key part '" + keyNames[i] + "' is null");
            }
            canonical.append(keyPrefixes[i], v);
        }
        return xxh3(canonical.buffer(), canonical.length());
    }

    /** The {@link OrderKey} of a row whose business key was computed (no null key part). */
    public byte[] orderKey(Object[] mapped) {
        return orderKey.of(mapped, keyColumns);
    }

    /** BLAKE3-256 of the non-key, non-audit columns. */
    public byte[] data(Object[] mapped) {
        canonical.reset();
        for (int i = 0; i < dataColumns.length; i++) {
            canonical.append(dataPrefixes[i], mapped[dataColumns[i]]);
        }
        return blake3.hash(canonical.buffer(), 0, canonical.length());
    }

    /** XXH3-128 as 16 bytes, big-endian (the canonical order {@code xxhsum -H2} prints). */
    public static byte[] xxh3(byte[] bytes, int length) {
        HashValue128 h = XXH3_128.hashBytesTo128Bits(bytes, 0, length);
        byte[] out = new byte[16];
        putLong(out, 0, h.getMostSignificantBits());
        putLong(out, 8, h.getLeastSignificantBits());
        return out;
    }

    private static void putLong(byte[] out, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            out[at + i] = (byte) v;
            v >>>= 8;
        }
    }
}
