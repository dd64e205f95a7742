package io.shuttlebridge.core.internal.dialect.mariadb;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;

/** Identifiers on MariaDB: backticks, with embedded backticks doubled. */
final class MariaDbIdentifiers {
    private MariaDbIdentifiers() {}

    static String backtick(String identifier) {
        if (identifier == null || identifier.isEmpty()) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "an identifier must not be empty");
        }
        if (identifier.indexOf('\0') >= 0) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "identifier contains a NUL character: " + identifier.replace("\0", "\\0"));
        }
        return '`' + identifier.replace("`", "``") + '`';
    }
}
