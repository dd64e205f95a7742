package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * Random values for a column, by its declared type (SQLite's affinity rules): integers, reals and
 * decimals (exact in binary, so every replica holds the same double), dates and date-times as
 * ISO text, text (now and then with quotes and non-ASCII letters), blobs. A value made at step
 * {@code s} differs from one made at any other step, so a written value names its write. Keys come
 * from a small pool per table so that replicas write the same rows.
 */
final class Values {
    private static final LocalDateTime EPOCH = LocalDateTime.of(2025, 1, 1, 0, 0);
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Random random;

    Values(Random random) {
        this.random = random;
    }

    /** A value for {@code c} made at {@code step}; null now and then when the column allows it. */
    Object value(Column c, int step) {
        if (c.nullable() && random.nextInt(5) == 0) {
            return null;
        }
        return switch (c.jdbcType()) {
            case Types.BOOLEAN -> (long) random.nextInt(2);
            case Types.BIGINT -> step + 1L;
            case Types.DOUBLE -> step + 0.25;
            case Types.NUMERIC -> numeric(c, step);
            case Types.TIMESTAMP -> EPOCH.plusMinutes(7L * step).format(DATE_TIME);
            case Types.DATE -> LocalDate.from(EPOCH).plusDays(step).toString();
            case Types.BLOB -> c.declaredType().isBlank() ? "v" + step : bytes(step);
            default -> random.nextInt(6) == 0 ? "it's \"v" + step + "\" ü 表" : "v" + step;
        };
    }

    /**
     * A key value for {@code c} of {@code t} from the table's pool: 8 values for a table without
     * parents, 4 more for each level below (up to 16), 3 per column of a composite key.
     */
    Object key(Table t, Column c, int depth) {
        int pool = t.primaryKey().size() > 1 ? 3 : 8 + 4 * Math.min(depth, 2);
        int k = 1 + random.nextInt(pool);
        return switch (c.jdbcType()) {
            case Types.BOOLEAN, Types.BIGINT, Types.NUMERIC -> (long) k;
            case Types.DOUBLE -> k + 0.5;
            case Types.TIMESTAMP -> EPOCH.plusDays(k).format(DATE_TIME);
            case Types.DATE -> LocalDate.from(EPOCH).plusDays(k).toString();
            case Types.BLOB -> c.declaredType().isBlank() ? "k" + k : new byte[] {(byte) k};
            default -> "k" + k;
        };
    }

    /** A decimal column gets a fraction (stored as a real by SQLite's numeric affinity), any other numeric an integer. */
    private static Object numeric(Column c, int step) {
        String t = c.declaredType().toUpperCase(Locale.ROOT);
        if (t.contains("DEC") || t.contains("NUMERIC") || t.contains("MONEY")) {
            return step + 0.5;
        }
        return step + 1L;
    }

    private static byte[] bytes(int step) {
        return new byte[] {(byte) (step >> 8), (byte) step, 0, (byte) 0xff};
    }
}
