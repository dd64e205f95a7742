package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.sync.KeyDigest;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Computes {@link KeyDigest}s of a table's keys, the same way on every database: each key is
 * written in one canonical text form (an integer the same whether a driver reads it as int or long,
 * a decimal without trailing zeros, bytes in hex) and hashed with SHA-256. Internal.
 */
public final class KeyDigests {
    private KeyDigests() {}

    /**
     * The digest of the keys of the rows of {@code t} that satisfy {@code where} (a SQL condition over
     * the table's columns with its arguments; null for every row).
     */
    public static KeyDigest of(Connection c, Dialect dialect, SyncedTable t, String where, List<Object> args)
            throws SQLException {
        String sql = "SELECT " + t.key().stream().map(dialect::quote).collect(Collectors.joining(", ")) + " FROM "
                + dialect.quote(t.name()) + (where == null ? "" : " WHERE " + where);
        MessageDigest sha = sha256();
        long rows = 0;
        long sum = 0;
        int width = t.key().size();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setFetchSize(5000);
            for (int i = 0; i < args.size(); i++) {
                Jdbc.set(ps, i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                StringBuilder key = new StringBuilder();
                while (rs.next()) {
                    key.setLength(0);
                    for (int i = 1; i <= width; i++) {
                        if (i > 1) {
                            key.append('\u0000');
                        }
                        key.append(canonical(Jdbc.readValue(rs, i)));
                    }
                    rows++;
                    sum += hash(sha, key);
                }
            }
        }
        return new KeyDigest(rows, sum);
    }

    private static long hash(MessageDigest sha, CharSequence key) {
        byte[] h = sha.digest(key.toString().getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(h).getLong();
    }

    static String canonical(Object v) {
        if (v == null) {
            return "\u0001null";
        }
        if (v instanceof Long
                || v instanceof Integer
                || v instanceof Short
                || v instanceof Byte
                || v instanceof BigInteger) {
            return v.toString();
        }
        if (v instanceof Number n) {
            BigDecimal d = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof Boolean b) {
            return b ? "1" : "0";
        }
        if (v instanceof byte[] bytes) {
            return "\u0002" + HexFormat.of().formatHex(bytes);
        }
        return v.toString();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
