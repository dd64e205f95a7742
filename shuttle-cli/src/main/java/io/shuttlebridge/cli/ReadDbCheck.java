package io.shuttlebridge.cli;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.dialect.Identifiers;

/**
 * What {@code serve --read-db} takes: a hot standby of a PostgreSQL hub, whose replay position a pull waits
 * for. A MariaDB or MySQL replica is refused by name (its replication gives no such position to wait for, so
 * a pull from it could miss what devices were told of), and so is any standby of a hub that is not on
 * PostgreSQL. Checked before anything is opened; passwords in the URLs are never repeated.
 */
final class ReadDbCheck {
    private ReadDbCheck() {}

    static void check(String db, String readDb) {
        if (readDb == null) {
            return;
        }
        if (readDb.startsWith("jdbc:mariadb:") || readDb.startsWith("jdbc:mysql:")) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "--read-db serves pulls from a PostgreSQL hot standby, waiting for it to replay what devices"
                            + " were told of; a MariaDB or MySQL replica (" + Identifiers.redactUrl(readDb)
                            + ") gives no such position to wait for and is not supported: leave --read-db out, or run"
                            + " more 'shuttle serve' processes over --db (they share it)");
        }
        if (!readDb.startsWith("jdbc:postgresql:")) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "--read-db takes a PostgreSQL standby's JDBC URL, got " + Identifiers.redactUrl(readDb));
        }
        if (!db.startsWith("jdbc:postgresql:")) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "--read-db is a hot standby of the hub's own PostgreSQL database, but --db "
                            + Identifiers.redactUrl(db) + " is not on PostgreSQL: leave --read-db out");
        }
    }
}
