package io.shuttlebridge.bridge.definition;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;

/** Where records come from. */
public sealed interface SourceSpec {

    /** The source field holding a monotonically increasing row version, or null when there is none. */
    String rowversion();

    /** The source field that is true for a tombstone (a deleted record), or null. */
    String deletedFlag();

    /** An HTTP JSON API returning pages of records. */
    record Http(
            URI url,
            String token,
            String recordsField,
            Pagination pagination,
            String rowversion,
            String sinceParam,
            String deletedFlag,
            int maxRetries,
            Duration timeout)
            implements SourceSpec {
        @Override
        public String toString() {
            return "Http[url=" + url + ", token=" + (token == null ? "none" : "***") + ", pagination=" + pagination
                    + "]";
        }
    }

    /** A JDBC table or query; incremental on {@link #rowversion()} when it is set. */
    record Jdbc(
            String url,
            String user,
            String password,
            String table,
            String query,
            String rowversion,
            String deletedFlag,
            int fetchSize)
            implements SourceSpec {
        @Override
        public String toString() {
            return "Jdbc[url=" + url + ", table=" + table + ", rowversion=" + rowversion + "]";
        }
    }

    /** A CSV file with a header line. */
    record Csv(Path path, char delimiter, Charset charset, String rowversion, String deletedFlag)
            implements SourceSpec {}

    /** HTTP pagination styles. */
    sealed interface Pagination {
        int size();

        /** {@code ?page=N&page_size=S}, pages counted from {@code first}. */
        record Page(String pageParam, String sizeParam, int size, int first) implements Pagination {}

        /** {@code ?offset=N&limit=S}. */
        record Offset(String offsetParam, String limitParam, int size) implements Pagination {}

        /** {@code ?cursor=C&limit=S}, the next cursor read from a response field; absent or null ends. */
        record Cursor(String cursorParam, String nextField, String sizeParam, int size) implements Pagination {}
    }
}
