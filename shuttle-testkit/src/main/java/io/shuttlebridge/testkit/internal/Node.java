package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.sync.ConflictResolver;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.testkit.Replica;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

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
            ShuttleDatabase.ConnectionSetup connections,
            java.util.function.UnaryOperator<SyncEngine.Builder> engines) {
        Setup {
            resolvers = Map.copyOf(resolvers);
        }
    }

    private final String name;
    private final String url;
    private ShuttleDatabase db;
    private final Setup setup;
    private final Map<Integer, SyncEngine> engines = new HashMap<>();
    private Connection plain;
    private volatile boolean followsSchema;

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
    public synchronized ShuttleDatabase database() {
        return db;
    }

    /** The node's SQLite file; refused for a node on another database. */
    public Path file() {
        String prefix = "jdbc:sqlite:";
        if (!url.startsWith(prefix)) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, name + " is not a SQLite file: " + url);
        }
        return Path.of(url.substring(prefix.length()));
    }

    /**
     * Replaces the node's database file with a copy of {@code source}, as a restore does: every connection
     * closed, the file and its write-ahead log removed, the copy put in its place and opened anew (engines
     * too, made again when next asked for).
     */
    public synchronized void replaceWith(Path source) {
        close();
        Path file = file();
        try {
            for (String suffix : new String[] {"-wal", "-shm", "-journal"}) {
                Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
            }
            Files.copy(source, file, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ShuttleException(
                    ErrorCode.INTERNAL, "cannot restore " + name + " from " + source + ": " + e.getMessage(), e);
        }
        db = ShuttleDatabase.open(url, new Properties(), setup.connections());
    }

    /** Forgets the engines made so far: the next ones read the node's identity again (after a node reset). */
    public synchronized void forgetEngines() {
        engines.clear();
    }

    @Override
    public String nodeUuid() {
        return engine().nodeUuid();
    }

    @Override
    public SyncEngine engine() {
        return engine(SyncEngine.DEFAULT_PAGE);
    }

    /**
     * From now on, each engine of the node asked for takes the changes made to the node's tables since it
     * last looked ({@link SyncEngine#refreshSchema()}, one catalog query when there are none): the node's
     * engines, one per page size, see the columns and tables one of them followed, or the node's
     * application added.
     */
    public void followSchema() {
        followsSchema = true;
    }

    /** The engine that pulls and pushes {@code pageSize} changes at a time. */
    public synchronized SyncEngine engine(int pageSize) {
        SyncEngine e = madeEngine(pageSize);
        if (followsSchema) {
            e.refreshSchema();
        }
        return e;
    }

    private SyncEngine madeEngine(int pageSize) {
        return engines.computeIfAbsent(pageSize, n -> {
            SyncEngine.Builder b = SyncEngine.builder(db)
                    .pageSize(n)
                    .applyListener(setup.listener())
                    .clock(setup.clock());
            setup.resolvers().forEach(b::resolver);
            return setup.engines().apply(b).build();
        });
    }

    @Override
    public void execute(String... statements) {
        Sql.exec(plain(), name, statements);
    }

    /** Like {@link #execute}; false, having changed nothing, when a constraint of the schema refused the statements. */
    public boolean executeUnlessRefused(String... statements) {
        boolean done = Sql.execUnlessRefused(plain(), name, statements);
        if (ScheduleTrace.on()) { // the line is built only to be kept
            ScheduleTrace.note(name + (done ? " ran " : " was refused ") + String.join("; ", statements));
        }
        return done;
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
            plain = null;
            engines.clear();
            db.close();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
