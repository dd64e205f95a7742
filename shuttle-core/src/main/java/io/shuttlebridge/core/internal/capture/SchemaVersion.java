package io.shuttlebridge.core.internal.capture;

import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.ForeignKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.TreeSet;

/** The fingerprint of a synced schema ({@link SyncSchema#version()}): SHA-256 of its description, cut to 63 bits. */
final class SchemaVersion {
    private SchemaVersion() {}

    static long of(Collection<SyncedTable> tables) {
        StringBuilder d = new StringBuilder();
        for (SyncedTable t : tables) {
            d.append("table\u0000")
                    .append(t.id())
                    .append('\u0000')
                    .append(t.name())
                    .append('\u0000')
                    .append(t.policy())
                    .append('\u0000')
                    .append(t.scopeColumn())
                    .append('\u0000')
                    .append(new TreeSet<>(t.excluded()))
                    .append('\n');
            for (Column c : t.table().columns()) {
                d.append("col\u0000")
                        .append(c.name())
                        .append('\u0000')
                        .append(c.declaredType())
                        .append('\u0000')
                        .append(c.nullable())
                        .append('\u0000')
                        .append(c.primaryKeyPosition())
                        .append('\n');
            }
            for (ForeignKey fk : t.table().foreignKeys()) {
                d.append("fk\u0000")
                        .append(fk.childColumns())
                        .append('\u0000')
                        .append(fk.parentTable())
                        .append('\u0000')
                        .append(fk.parentColumns())
                        .append('\n');
            }
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(d.toString().getBytes(StandardCharsets.UTF_8));
            long v = ByteBuffer.wrap(h).getLong() & Long.MAX_VALUE;
            return v == 0 ? 1 : v;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
