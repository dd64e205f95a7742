package io.shuttlebridge.core.internal.dialect.postgres;

import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.FormatStep;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Format 3 on PostgreSQL: feed keys compare bytewise ({@code COLLATE "C"}). A stored key is an opaque
 * canonical text, so its order and equality must not depend on the database's collation; a feed
 * made before keeps the database's default collation until this step rebuilds the column (and its
 * primary key) in one statement. Equal keys stay equal, so no entry collides.
 */
final class BytewiseFeedKeys implements FormatStep {

    @Override
    public int version() {
        return 3;
    }

    @Override
    public String description() {
        return "_shuttle_feed keys compare bytewise (COLLATE \"C\")";
    }

    @Override
    public boolean apply(Connection c, Dialect dialect) throws SQLException {
        String collation = Jdbc.queryString(c, """
                        SELECT coalesce(collation_name, '') FROM information_schema.columns
                          WHERE table_schema = current_schema() AND table_name = '_shuttle_feed' AND column_name = 'pk'""").orElse("");
        if (collation.equals("C")) {
            return false;
        }
        Jdbc.execute(c, "ALTER TABLE _shuttle_feed ALTER COLUMN pk TYPE text COLLATE \"C\"");
        return true;
    }
}
