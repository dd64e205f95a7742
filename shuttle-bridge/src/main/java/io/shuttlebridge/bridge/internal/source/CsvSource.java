package io.shuttlebridge.bridge.internal.source;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.shuttlebridge.bridge.definition.SourceSpec;
import io.shuttlebridge.bridge.internal.record.RowVersions;
import io.shuttlebridge.bridge.internal.record.SourceRecord;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;

/**
 * A CSV file with a header line, streamed row by row ({@link CsvReader} on bytes for UTF-8 and
 * single-byte charsets, Jackson's parser otherwise). Values stay text (the normalize stage types them).
 * Resume token: the number of data rows already consumed. Row-version filtering, when the file has a
 * row-version column, is done while reading.
 */
final class CsvSource implements Source {
    private static final CsvMapper MAPPER = new CsvMapper();

    private final SourceSpec.Csv spec;
    private final FieldLayout layout;

    CsvSource(SourceSpec.Csv spec, FieldLayout layout) {
        this.spec = spec;
        this.layout = layout;
    }

    @Override
    public boolean incremental() {
        return false;
    }

    @Override
    public RecordStream open(String resumeToken, String since) {
        long skip = resumeToken == null ? 0 : Long.parseLong(resumeToken);
        Rows rows;
        try {
            rows = CsvReader.supports(spec.charset(), spec.delimiter()) ? byteRows() : jacksonRows();
        } catch (IOException e) {
            throw new ShuttleException(
                    ErrorCode.NOT_FOUND, "cannot open CSV source " + spec.path() + ": " + e.getMessage(), e);
        }
        try {
            String[] header = rows.next();
            if (header == null) {
                throw new ShuttleException(
                        ErrorCode.MALFORMED_PAYLOAD,
                        "CSV source " + spec.path() + " is empty (a header line is required)");
            }
            int[] columns = columns(header);
            for (long i = 0; i < skip && rows.next() != null; i++) {
                // already ingested by this pass
            }
            return new Stream(rows, columns, skip, since);
        } catch (IOException e) {
            closeQuietly(rows, e);
            throw new ShuttleException(
                    ErrorCode.MALFORMED_PAYLOAD, "cannot read CSV source " + spec.path() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(rows, e);
            throw e;
        }
    }

    /** Rows of text fields, the header first. */
    private interface Rows extends AutoCloseable {
        String[] next() throws IOException;

        @Override
        void close() throws IOException;
    }

    private Rows byteRows() throws IOException {
        CsvReader reader = new CsvReader(Files.newInputStream(spec.path()), spec.charset(), spec.delimiter());
        return new Rows() {
            public String[] next() throws IOException {
                return reader.next();
            }

            public void close() throws IOException {
                reader.close();
            }
        };
    }

    /** For charsets such as UTF-16 whose characters are not single bytes for the delimiter and quotes. */
    private Rows jacksonRows() throws IOException {
        Reader reader = Files.newBufferedReader(spec.path(), spec.charset());
        CsvSchema schema = CsvSchema.emptySchema().withColumnSeparator(spec.delimiter());
        MappingIterator<String[]> it;
        try {
            it = MAPPER.readerForArrayOf(String.class)
                    .with(CsvParser.Feature.WRAP_AS_ARRAY)
                    .with(schema)
                    .readValues(reader);
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
        return new Rows() {
            public String[] next() throws IOException {
                return it.hasNextValue() ? it.nextValue() : null;
            }

            public void close() throws IOException {
                it.close();
            }
        };
    }

    private int[] columns(String[] header) {
        List<String> names =
                Arrays.stream(header).map(h -> h.strip().replace("\uFEFF", "")).toList();
        int[] out = new int[layout.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = names.indexOf(layout.names().get(i));
            if (out[i] < 0) {
                throw new ShuttleException(
                        ErrorCode.MALFORMED_PAYLOAD,
                        "CSV source " + spec.path() + " has no column '"
                                + layout.names().get(i) + "' (header: " + String.join(", ", names) + ")");
            }
        }
        return out;
    }

    private static void closeQuietly(Rows rows, Exception cause) {
        try {
            rows.close();
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    private final class Stream implements RecordStream {
        private final Rows rows;
        private final int[] columns;
        private final String since;
        private long consumed;

        Stream(Rows rows, int[] columns, long consumed, String since) {
            this.rows = rows;
            this.columns = columns;
            this.consumed = consumed;
            this.since = since;
        }

        @Override
        public SourceRecord next() {
            try {
                String[] row;
                while ((row = rows.next()) != null) {
                    consumed++;
                    Object[] values = new Object[columns.length];
                    for (int i = 0; i < columns.length; i++) {
                        values[i] = columns[i] < row.length ? row[columns[i]] : null;
                    }
                    String rv = layout.rowversionOf(values);
                    if (since != null && RowVersions.compare(rv, since) <= 0) {
                        continue;
                    }
                    return new SourceRecord(values, rv, layout.tombstoneOf(values));
                }
                return null;
            } catch (IOException e) {
                throw new ShuttleException(
                        ErrorCode.MALFORMED_PAYLOAD,
                        "CSV source " + spec.path() + " near data row " + (consumed + 1) + ": " + e.getMessage(),
                        e);
            }
        }

        @Override
        public String position() {
            return Long.toString(consumed);
        }

        @Override
        public void close() {
            try {
                rows.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
