package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.sync.ConflictRecord;
import io.shuttlebridge.core.sync.SyncEngine;
import java.util.List;
import java.util.Map;

/**
 * One database of a {@link ShuttleTestCluster}: the hub or a device. Writes and queries go through
 * a plain JDBC connection of its own, as the application's would (foreign keys on): Shuttle sees
 * them only through its capture triggers.
 */
public interface Replica {

    /** {@code hub}, {@code device0}, {@code device1}, ... */
    String name();

    /** The node's stable identity. */
    String nodeUuid();

    /** The JDBC URL of its database. */
    String url();

    ShuttleDatabase database();

    /** The sync engine over its database (with the cluster's resolvers). */
    SyncEngine engine();

    /** Runs statements in one transaction (one statement on its own), as the application would. */
    void execute(String... statements);

    /** Runs a query as the application would; integers come back as {@code Long}. */
    List<Map<String, Object>> query(String sql);

    /** Every row of a table, ordered by its primary key. */
    List<Map<String, Object>> rows(String table);

    /** Conflict records kept here, open and resolved. */
    default List<ConflictRecord> conflicts() {
        return engine().conflicts(false);
    }
}
