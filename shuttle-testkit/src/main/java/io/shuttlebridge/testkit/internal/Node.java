package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.sync.ConflictResolver;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.testkit.Replica;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One replica of a cluster: its database (a JDBC URL), the database handle, engines (one per page
 * size, made when first asked for, on the node's clock) and a plain connection for the
 * application's writes (prepared as the database's own connections are).
 */
public class Node implements Replica {
    /** How a cluster's nodes are made: their engines' resolvers, apply listener and clock, and their connections. */
    record Setup(
            Map<String, ConflictResolver> resolvers,
            SyncEngine.ApplyListener listener,
            MillisClock clock,
            ShuttleDatabase.ConnectionSetup connections) {
        Setup {
            resolvers = Map.copyOf(resolvers);
        }
    }

    private final String name;
    private final String url;
    private final ShuttleDatabase db;
    private final Setup setup;
    private final Map<Integer, SyncEngine> engines = new HashMap<>();
    private Connection plain;

    Node(String name, String url, ShuttleDatabase db, Setup setup) {
        this.name = name;
        this.url = url;
        this.db = db;
        this.setup = setup;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public ShuttleDatabase database() {
        return db;
    }

    @Override
    public String nodeUuid() {
        return engine().nodeUuid();
    }

    @Override
    public SyncEngine engine() {
        return engine(SyncEngine.DEFAULT_PAGE);
    }

    /** The engine that pulls and pushes {@code pageSize} changes at a time. */
    public synchronized SyncEngine engine(int pageSize) {
        return engines.computeIfAbsent(pageSize, n -> {
            SyncEngine.Builder b = SyncEngine.builder(db)
                    .pageSize(n)
                    .applyListener(setup.listener())
                    .clock(setup.clock());
            setup.resolvers().forEach(b::resolver);
            return b.build();
        });
    }

    @Override
    public void execute(String... statements) {
        Sql.exec(plain(), name, statements);
    }

    /** Like {@link #execute}; false, having changed nothing, when a constraint of the schema refused the statements. */
    public boolean executeUnlessRefused(String... statements) {
        return Sql.execUnlessRefused(plain(), name, statements);
    }

    @Override
    public List<Map<String, Object>> query(String sql) {
        return Sql.query(plain(), name, sql);
    }

    @Override
    public List<Map<String, Object>> rows(String table) {
        List<String> key =
                EngineAccess.context(engine()).schema().require(table).key();
        return query("SELECT * FROM " + SqlText.quote(table) + " ORDER BY " + SqlText.columns(key));
    }

    private synchronized Connection plain() {
        if (plain == null) {
            plain = Sql.open(url, name, setup.connections());
        }
        return plain;
    }

    synchronized void close() {
        try {
            if (plain != null) {
                plain.close();
            }
        } catch (SQLException e) {
            throw new ShuttleException(ErrorCode.DATABASE, "cannot close " + name + ": " + e.getMessage(), e);
        } finally {
            db.close();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
