package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.dialect.postgres.PostgresDialect;
import io.shuttlebridge.core.internal.dialect.sqlite.SqliteDialect;
import java.util.List;

/** Finds the dialect for a JDBC URL. */
public final class Dialects {
    private static final List<Dialect> KNOWN = List.of(new SqliteDialect(), new PostgresDialect());

    private Dialects() {}

    public static Dialect forUrl(String jdbcUrl) {
        for (Dialect d : KNOWN) {
            if (d.handlesUrl(jdbcUrl)) {
                return d;
            }
        }
        throw new ShuttleException(
                ErrorCode.INVALID_ARGUMENT,
                "no dialect for " + Identifiers.redactUrl(jdbcUrl)
                        + ": supported are SQLite (a file path or jdbc:sqlite:...) and PostgreSQL (jdbc:postgresql://...)");
    }
}
