package io.shuttlebridge.core.internal.sync;

import io.shuttlebridge.core.DatabaseException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.sync.apply.Applier;
import io.shuttlebridge.core.internal.sync.apply.Role;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Finds the changes of a pushed batch that the hub's database refuses, once applying the batch whole
 * failed on one (a constraint of the hub's schema the device does not have, a value too large for its
 * column, a write to a table whose shape changed destructively on the hub and was not taken yet): the
 * batch is tried again in parts, each under a savepoint with foreign keys checked as it
 * goes, a part that passes kept for the parts after it and one that fails halved until the single
 * changes it refuses are found; everything is rolled back afterwards. A batch with k such changes
 * among n costs about k times log n partial applies, and a batch that applies whole costs nothing
 * here. A failure that is no constraint or value is explained only by a table with a destructive schema
 * change pending ({@link PendingSchemaChanges}, read from the catalog the first time such a failure is met):
 * a change to such a table that the database refuses is refused as a schema mismatch. Internal.
 */
final class PoisonChanges {
    private final EngineContext engine;
    private PendingSchemaChanges pending;

    PoisonChanges(EngineContext engine) {
        this.engine = engine;
    }

    /** The tables with a destructive schema change pending, read once, when first needed. */
    private PendingSchemaChanges pending(Connection c) throws SQLException {
        if (pending == null) {
            pending = PendingSchemaChanges.read(engine, c);
        }
        return pending;
    }

    /**
     * The changes of {@code changes}, other than those at {@code skip}, that the database refuses on
     * their own, with the reasons; empty when every part applies (the failure came from how the batch
     * was put together, not from one change).
     */
    Map<Integer, RefusalReason> find(String fromNode, List<Change> changes, Set<Integer> skip) {
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            if (!skip.contains(i)) {
                candidates.add(i);
            }
        }
        Applier applier = engine.applier().checkingAtOnce();
        return engine.db().transaction(c -> {
            Map<Integer, RefusalReason> found = new TreeMap<>();
            search(c, applier, fromNode, changes, candidates, found);
            c.rollback(); // only the answer is wanted
            return found;
        });
    }

    private void search(
            Connection c,
            Applier applier,
            String fromNode,
            List<Change> changes,
            List<Integer> part,
            Map<Integer, RefusalReason> found)
            throws SQLException {
        if (part.isEmpty()) {
            return;
        }
        Savepoint sp = c.setSavepoint();
        try {
            applier.apply(c, part.stream().map(changes::get).toList(), fromNode, Role.HUB);
            c.releaseSavepoint(sp);
            return;
        } catch (SQLException e) {
            DatabaseException.Failure failure = DatabaseException.classify(e);
            boolean permanent = DatabaseRefusal.permanent(failure);
            if (failure.transientFailure()) {
                throw e;
            }
            c.rollback(sp); // before the catalog is read: PostgreSQL reads nothing in a failed transaction
            if (!permanent
                    && !pending(c).touches(part.stream().map(changes::get).toList())) {
                throw e;
            }
            if (part.size() == 1) {
                Change ch = changes.get(part.get(0));
                found.put(
                        part.get(0),
                        permanent
                                ? DatabaseRefusal.of(e, engine.schema().require(ch.table()), ch)
                                : pending(c).refusal(ch));
                return;
            }
        }
        int half = part.size() / 2;
        search(c, applier, fromNode, changes, part.subList(0, half), found);
        search(c, applier, fromNode, changes, part.subList(half, part.size()), found);
    }
}
