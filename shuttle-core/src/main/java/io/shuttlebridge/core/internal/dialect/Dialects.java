package io.shuttlebridge.core.internal.dialect;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.dialect.mariadb.MariaDbDialect;
import io.shuttlebridge.core.internal.dialect.postgres.PostgresDialect;
import io.shuttlebridge.core.internal.dialect.sqlite.SqliteDialect;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** Finds the dialect for a JDBC URL, and the one an open {@link ShuttleDatabase} speaks. */
public final class Dialects {
    private static final List<Dialect> KNOWN =
            List.of(new SqliteDialect(), new PostgresDialect(), new MariaDbDialect());
    private static volatile Function<ShuttleDatabase, Dialect> ofDatabase;

    private Dialects() {}

    /**
     * The dialect of an open database. {@code ShuttleDatabase} keeps it private, so that its public API
     * names no internal type, and hands this class the way to it when its class is initialized (which has
     * happened once a database exists).
     */
    public static Dialect of(ShuttleDatabase db) {
        return ofDatabase.apply(Objects.requireNonNull(db, "db"));
    }

    /** Called once, by {@code ShuttleDatabase}. */
    public static void installAccess(Function<ShuttleDatabase, Dialect> access) {
        if (ofDatabase != null) {
            throw new IllegalStateException("the dialect access is installed already");
        }
        ofDatabase = Objects.requireNonNull(access);
    }

    public static Dialect forUrl(String jdbcUrl) {
        for (Dialect d : KNOWN) {
            if (d.handlesUrl(jdbcUrl)) {
                return d;
            }
        }
        throw new ShuttleException(
                ErrorCode.INVALID_ARGUMENT,
                "no dialect for " + Identifiers.redactUrl(jdbcUrl)
                        + ": supported are SQLite (a file path or jdbc:sqlite:...), PostgreSQL (jdbc:postgresql://...)"
                        + " and MariaDB or MySQL (jdbc:mariadb://... or jdbc:mysql://...)");
    }
}
