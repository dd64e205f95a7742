package io.shuttlebridge.bridge.internal.source;

import io.shuttlebridge.bridge.definition.SourceSpec;
import io.shuttlebridge.bridge.internal.record.RowVersions;
import io.shuttlebridge.bridge.internal.record.SourceRecord;
import io.shuttlebridge.core.ShuttleException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A JDBC table or query. With a row-version column the stream is ordered by it and filtered with
 * {@code rv > ?}, and the resume token is the last row version returned (the column must increase
 * strictly with every change, as SQL Server's rowversion does). Without one the token is a row count.
 */
final class JdbcSource implements Source {
    private final SourceSpec.Jdbc spec;
    private final FieldLayout layout;

    JdbcSource(SourceSpec.Jdbc spec, FieldLayout layout) {
        this.spec = spec;
        this.layout = layout;
    }

    @Override
    public boolean incremental() {
        return spec.rowversion() != null;
    }

    @Override
    public RecordStream open(String resumeToken, String since) {
        String from = spec.table() != null ? spec.table() : "(" + spec.query() + ") q";
        String rv = spec.rowversion();
        String lowerBound = rv == null ? null : (resumeToken != null ? RowVersions.max(resumeToken, since) : since);
        String sql = "SELECT * FROM " + from + (lowerBound != null ? " WHERE " + rv + " > ?" : "")
                + (rv != null ? " ORDER BY " + rv : "");
        Connection c = null;
        try {
            c = DriverManager.getConnection(spec.url(), spec.user(), spec.password());
            c.setAutoCommit(false);
            PreparedStatement ps = c.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
            ps.setFetchSize(spec.fetchSize());
            if (lowerBound != null) {
                if (RowVersions.isInteger(lowerBound)) {
                    ps.setLong(1, Long.parseLong(lowerBound));
                } else {
                    ps.setString(1, lowerBound);
                }
            }
            ResultSet rs = ps.executeQuery();
            long skip = rv == null && resumeToken != null ? Long.parseLong(resumeToken) : 0;
            Stream stream = new Stream(c, rs, columns(rs.getMetaData()), skip, resumeToken);
            for (long i = 0; i < skip && rs.next(); i++) {
                // already ingested in an earlier run of this pass
            }
            return stream;
        } catch (SQLException e) {
            closeQuietly(c, e);
            throw ShuttleException.database("reading JDBC source " + redact(spec.url()) + " (" + sql + ")", e);
        }
    }

    private int[] columns(ResultSetMetaData meta) throws SQLException {
        List<String> labels = new ArrayList<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            labels.add(meta.getColumnLabel(i).toLowerCase(Locale.ROOT));
        }
        int[] out = new int[layout.size()];
        for (int i = 0; i < out.length; i++) {
            int at = labels.indexOf(layout.names().get(i).toLowerCase(Locale.ROOT));
            if (at < 0) {
                throw new SQLException(
                        "no column '" + layout.names().get(i) + "' in the result (columns: " + labels + ")");
            }
            out[i] = at + 1;
        }
        return out;
    }

    static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    private static void closeQuietly(Connection c, Exception cause) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
    }

    private final class Stream implements RecordStream {
        private final Connection connection;
        private final ResultSet rs;
        private final int[] columns;
        private long consumed;
        private String lastRowversion;

        Stream(Connection connection, ResultSet rs, int[] columns, long consumed, String resumeToken) {
            this.connection = connection;
            this.rs = rs;
            this.columns = columns;
            this.consumed = consumed;
            this.lastRowversion = resumeToken;
        }

        @Override
        public SourceRecord next() {
            try {
                if (!rs.next()) {
                    return null;
                }
                Object[] values = new Object[columns.length];
                for (int i = 0; i < columns.length; i++) {
                    values[i] = rs.getObject(columns[i]);
                }
                consumed++;
                String rv = layout.rowversionOf(values);
                if (rv != null) {
                    lastRowversion = rv;
                }
                return new SourceRecord(values, rv, layout.tombstoneOf(values));
            } catch (SQLException e) {
                throw ShuttleException.database("reading JDBC source " + redact(spec.url()), e);
            }
        }

        @Override
        public String position() {
            return spec.rowversion() != null ? lastRowversion : Long.toString(consumed);
        }

        @Override
        public void close() {
            try {
                connection.rollback();
                connection.close();
            } catch (SQLException e) {
                throw ShuttleException.database("closing JDBC source", e);
            }
        }
    }
}
