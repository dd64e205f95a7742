package io.shuttlebridge.bench.hub;

import io.shuttlebridge.bench.BenchFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * The rows the hub benchmarks move: {@code item(id, sku, name, qty, price)}, the same on the hub,
 * on devices and in the baselines, so every variant writes identical data.
 */
public final class BenchRows {
    public static final String PG_TABLE = "CREATE TABLE %s (id BIGINT PRIMARY KEY, sku TEXT NOT NULL, name TEXT,"
            + " qty INTEGER NOT NULL, price NUMERIC(10,2))";
    public static final String MARIADB_TABLE = "CREATE TABLE %s (id BIGINT PRIMARY KEY, sku TEXT NOT NULL, name TEXT,"
            + " qty INTEGER NOT NULL, price DECIMAL(10,2))";
    public static final String SQLITE_TABLE = "CREATE TABLE %s (id INTEGER PRIMARY KEY, sku TEXT NOT NULL, name TEXT,"
            + " qty INTEGER NOT NULL, price NUMERIC(10,2))";

    private BenchRows() {}

    static String sku(long i) {
        return "SKU-" + i;
    }

    static String name(long i, int version) {
        return "item " + i + " v" + version;
    }

    static int qty(long i) {
        return (int) (i % 1000);
    }

    static String price(long i) {
        return (i % 100_000) / 100 + "." + String.format("%02d", i % 100);
    }

    /** COPY rows {@code [from, from + n)} into a PostgreSQL table; returns seconds taken. */
    public static double copy(Connection pg, String table, long from, long n, int version)
            throws SQLException, IOException {
        long t0 = System.nanoTime();
        ((PGConnection) pg.unwrap(PGConnection.class))
                .getCopyAPI()
                .copyIn("COPY " + table + " (id, sku, name, qty, price) FROM STDIN", new RowText(from, n, version));
        return (System.nanoTime() - t0) / 1e9;
    }

    /**
     * {@code LOAD DATA LOCAL INFILE} of rows {@code [from, from + n)} into a MariaDB or MySQL table, the same text as
     * {@link #copy}'s streamed by the driver (the connection needs {@code allowLocalInfile=true}); returns seconds.
     */
    public static double loadData(Connection c, String table, long from, long n, int version) throws SQLException {
        long t0 = System.nanoTime();
        try (Statement s = c.createStatement()) {
            s.unwrap(org.mariadb.jdbc.Statement.class).setLocalInfileInputStream(new RowBytes(from, n, version));
            s.execute("LOAD DATA LOCAL INFILE 'rows.tsv' INTO TABLE `" + table + "` CHARACTER SET utf8mb4"
                    + " FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n' (id, sku, name, qty, price)");
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Inserts rows {@code [from, from + n)} into a SQLite table in batches, one transaction; returns seconds taken. */
    public static double insertSqlite(Connection c, String table, long from, long n, int version) throws SQLException {
        long t0 = System.nanoTime();
        boolean auto = c.getAutoCommit();
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT OR REPLACE INTO " + table + " (id, sku, name, qty, price) VALUES (?, ?, ?, ?, ?)")) {
            for (long i = from; i < from + n; i++) {
                ps.setLong(1, i);
                ps.setString(2, sku(i));
                ps.setString(3, name(i, version));
                ps.setInt(4, qty(i));
                ps.setBigDecimal(5, new BigDecimal(price(i)));
                ps.addBatch();
                if ((i - from) % 5000 == 4999) {
                    ps.executeBatch();
                }
            }
            ps.executeBatch();
            c.commit();
        } finally {
            c.setAutoCommit(auto);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** A fresh SQLite file with the table and the rows, the plain-insert baseline; returns seconds taken. */
    public static double sqliteBaseline(Path file, long n) throws SQLException {
        try (Connection c = BenchFiles.open(file);
                Statement s = c.createStatement()) {
            s.execute(String.format(SQLITE_TABLE, "item"));
            return insertSqlite(c, "item", 1, n, 1);
        }
    }

    /** {@link RowText}'s characters (all ASCII) as bytes, for {@code LOAD DATA LOCAL INFILE}. */
    private static final class RowBytes extends InputStream {
        private final RowText text;
        private final char[] chars = new char[8192];

        RowBytes(long from, long n, int version) {
            this.text = new RowText(from, n, version);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] buf, int off, int len) {
            int k = text.read(chars, 0, Math.min(len, chars.length));
            for (int i = 0; i < k; i++) {
                buf[off + i] = (byte) chars[i];
            }
            return k;
        }
    }

    /** COPY's text format, generated lazily so memory stays flat whatever the row count. */
    private static final class RowText extends Reader {
        private final long end;
        private final int version;
        private long next;
        private String line = "";
        private int pos;

        RowText(long from, long n, int version) {
            this.next = from;
            this.end = from + n;
            this.version = version;
        }

        @Override
        public int read(char[] buf, int off, int len) {
            int written = 0;
            while (written < len) {
                if (pos == line.length()) {
                    if (next == end) {
                        return written == 0 ? -1 : written;
                    }
                    long i = next++;
                    line = i + "\t" + sku(i) + "\t" + name(i, version) + "\t" + qty(i) + "\t" + price(i) + "\n";
                    pos = 0;
                }
                int k = Math.min(len - written, line.length() - pos);
                line.getChars(pos, pos + k, buf, off + written);
                pos += k;
                written += k;
            }
            return written;
        }

        @Override
        public void close() {}
    }
}
