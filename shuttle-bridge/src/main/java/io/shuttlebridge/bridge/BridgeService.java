package io.shuttlebridge.bridge;

import io.micrometer.core.instrument.MeterRegistry;
import io.shuttlebridge.bridge.definition.EntityDefinition;
import io.shuttlebridge.bridge.definition.PipelineDefinition;
import io.shuttlebridge.bridge.internal.run.DeadLetterRetry;
import io.shuttlebridge.bridge.internal.run.EntityOrder;
import io.shuttlebridge.bridge.internal.run.EntityRun;
import io.shuttlebridge.bridge.internal.run.RunContext;
import io.shuttlebridge.bridge.internal.run.TransientFailures;
import io.shuttlebridge.bridge.internal.store.BatchStore;
import io.shuttlebridge.bridge.internal.store.BridgeSchema;
import io.shuttlebridge.bridge.internal.store.CursorStore;
import io.shuttlebridge.bridge.internal.store.DeadLetterStore;
import io.shuttlebridge.bridge.internal.store.PendingStore;
import io.shuttlebridge.bridge.internal.store.Sql;
import io.shuttlebridge.bridge.internal.store.StateStore;
import io.shuttlebridge.bridge.internal.track.BatchMetrics;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.dialect.Dialect;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.Identifiers;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Bridge facade: runs entities and answers every operational question with plain records, so a
 * command line or an HTTP server can expose it by serializing the results. One instance owns one
 * connection to the target database and serializes its calls.
 *
 * <pre>{@code
 * try (BridgeService bridge = BridgeService.builder()
 *         .target("app.db").definition(PipelineDefinition.load(Path.of("bridge.yaml"))).build()) {
 *     BatchReport batch = bridge.run("customers");
 * }
 * }</pre>
 */
public final class BridgeService implements AutoCloseable {
    private final RunContext ctx;
    private final boolean ownsConnection;
    private final BridgeScheduler scheduler;

    private BridgeService(RunContext ctx, boolean ownsConnection) {
        this.ctx = ctx;
        this.ownsConnection = ownsConnection;
        this.scheduler = new BridgeScheduler(this, ctx);
    }

    public static Builder builder() {
        return new Builder();
    }

    public PipelineDefinition definition() {
        return ctx.pipeline();
    }

    /** Runs one batch of the entity: resumes its open pass, or starts an incremental (or full) one. */
    public synchronized BatchReport run(String entity) {
        return run(entity, RunOptions.DEFAULT);
    }

    public synchronized BatchReport run(String entity, RunOptions options) {
        EntityDefinition def = ctx.pipeline().entity(entity);
        return new EntityRun(ctx, def, options).execute();
    }

    /**
     * Runs every entity once: records are ingested in definition order (declare parents before children),
     * then the passes that read their source to the end complete children first, so that deletes found by
     * reconciliation remove children before their parents. One batch per entity, in definition order.
     */
    public synchronized List<BatchReport> runAll() {
        List<EntityRun> runs = new ArrayList<>();
        Map<String, EntityRun> complete = new HashMap<>();
        for (EntityDefinition def : ctx.pipeline().entities()) {
            EntityRun run = new EntityRun(ctx, def, RunOptions.DEFAULT);
            try {
                run.open();
            } catch (RuntimeException e) {
                runs.forEach(EntityRun::finish); // record the batches already started, then report the failure
                throw e;
            }
            runs.add(run);
            if (run.ingest()) {
                complete.put(def.name(), run);
            }
        }
        for (EntityDefinition def : EntityOrder.childrenFirst(
                ctx.connection(), ctx.dialect(), ctx.pipeline().entities())) {
            EntityRun run = complete.get(def.name());
            if (run != null) {
                run.completePass();
            }
        }
        List<BatchReport> out = new ArrayList<>();
        for (EntityRun run : runs) {
            out.add(run.finish());
        }
        return out;
    }

    public synchronized EntityStatus status(String entity) {
        EntityDefinition def = ctx.pipeline().entity(entity);
        Connection c = ctx.connection();
        return Sql.ending(ctx.connection(), "reading status of " + entity, () -> {
            CursorStore.Cursor cursor = CursorStore.load(c, entity);
            List<BatchReport> last = BatchStore.list(c, entity, 1);
            return new EntityStatus(
                    entity,
                    def.table(),
                    cursor.highWater(),
                    cursor.passOpen(),
                    cursor.passRows(),
                    StateStore.count(c, entity),
                    DeadLetterStore.countOpen(c, entity),
                    PendingStore.count(c, entity),
                    last.isEmpty() ? null : last.get(0));
        });
    }

    /** Batch history, newest first; entity null for all. */
    public synchronized List<BatchReport> batches(String entity, int limit) {
        return Sql.ending(ctx.connection(), "listing batches", () -> BatchStore.list(ctx.connection(), entity, limit));
    }

    public synchronized Optional<BatchReport> batch(long id) {
        return Sql.ending(ctx.connection(), "reading batch " + id, () -> BatchStore.find(ctx.connection(), id));
    }

    /** Dead letters, newest first; entity and status may be null for all. */
    public synchronized List<DeadLetter> deadLetters(String entity, DeadLetter.Status status, int limit) {
        return Sql.ending(
                ctx.connection(),
                "listing dead letters",
                () -> DeadLetterStore.list(ctx.connection(), entity, status, limit));
    }

    public synchronized Optional<DeadLetter> deadLetter(long id) {
        return Sql.ending(
                ctx.connection(), "reading dead letter " + id, () -> DeadLetterStore.find(ctx.connection(), id));
    }

    /** Runs open dead letters through the current definition again. */
    public synchronized RetryResult retryDeadLetters(List<Long> ids) {
        return TransientFailures.ending(ctx, "retrying dead letters", () -> DeadLetterRetry.run(ctx, ids));
    }

    /** Marks open dead letters as discarded; returns the ids that were open. */
    public synchronized List<Long> discardDeadLetters(List<Long> ids) {
        return TransientFailures.ending(ctx, "discarding dead letters", () -> {
            List<Long> done = new ArrayList<>();
            for (long id : ids) {
                Optional<DeadLetter> l = DeadLetterStore.find(ctx.connection(), id);
                if (l.isPresent()
                        && l.get().status() == DeadLetter.Status.OPEN
                        && DeadLetterStore.setStatus(
                                ctx.connection(),
                                id,
                                DeadLetter.Status.DISCARDED,
                                ctx.clock().instant())) {
                    done.add(id);
                }
            }
            ctx.connection().commit();
            return done;
        });
    }

    /** Children waiting for a parent, oldest first; entity null for all. */
    public synchronized List<PendingChild> pendingChildren(String entity, int limit) {
        return Sql.ending(
                ctx.connection(),
                "listing pending children",
                () -> PendingStore.page(ctx.connection(), entity, 0, limit).stream()
                        .map(PendingStore.Entry::view)
                        .toList());
    }

    /** The scheduler of this service (windows, trigger, reset, tick). */
    public BridgeScheduler scheduler() {
        return scheduler;
    }

    RunContext context() {
        return ctx;
    }

    @Override
    public synchronized void close() {
        if (ownsConnection) {
            try {
                ctx.connection().close();
            } catch (SQLException e) {
                throw ShuttleException.database("closing the target database", e);
            }
        }
    }

    /** Builds a {@link BridgeService}. */
    public static final class Builder {
        private Connection connection;
        private Dialect dialect;
        private boolean owns;
        private PipelineDefinition definition;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.REAL;
        private MeterRegistry registry;
        private WriteObserver observer = WriteObserver.NONE;

        /** A SQLite file path or a JDBC URL; the service opens and owns the connection. */
        public Builder target(String dbOrUrl) {
            String url = ShuttleDatabase.toJdbcUrl(dbOrUrl);
            Dialect d = Dialects.forUrl(url);
            try {
                this.connection = DriverManager.getConnection(url);
            } catch (SQLException e) {
                throw ShuttleException.database("opening target database " + Identifiers.redactUrl(url), e);
            }
            this.dialect = d;
            this.owns = true;
            return this;
        }

        /** A connection the caller keeps ownership of (its auto-commit is turned off). */
        public Builder connection(Connection c) {
            this.connection = c;
            this.dialect = null;
            this.owns = false;
            return this;
        }

        public Builder definition(PipelineDefinition d) {
            this.definition = d;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = Objects.requireNonNull(c, "clock");
            return this;
        }

        public Builder retrySleeper(Sleeper s) {
            this.sleeper = Objects.requireNonNull(s, "sleeper");
            return this;
        }

        public Builder meterRegistry(MeterRegistry r) {
            this.registry = r;
            return this;
        }

        public Builder writeObserver(WriteObserver o) {
            this.observer = Objects.requireNonNull(o, "observer");
            return this;
        }

        public BridgeService build() {
            if (connection == null) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT, "no target database: call target(...) or connection(...)");
            }
            if (definition == null) {
                throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, "no pipeline definition: call definition(...)");
            }
            Dialect target = dialect != null
                    ? dialect
                    : Sql.run(
                            "reading the target database's URL",
                            () -> Dialects.forUrl(connection.getMetaData().getURL()));
            // the engine's view of the connection: on MariaDB its statements in MariaDB's spelling
            connection = Sql.run("opening a session on the target database", () -> target.session(connection));
            Sql.run("preparing the target database", () -> {
                try (Statement s = connection.createStatement()) {
                    for (String setting : target.bulkWriteSessionStatements()) {
                        s.execute(setting);
                    }
                }
                connection.setAutoCommit(false);
                return null;
            });
            BridgeSchema.install(connection, target);
            Sql.run("registering entities", () -> {
                for (EntityDefinition def : definition.entities()) {
                    StateStore.entityId(connection, def.name());
                }
                connection.commit();
                return null;
            });
            return new BridgeService(
                    new RunContext(
                            connection, target, definition, clock, sleeper, new BatchMetrics(registry), observer),
                    owns);
        }
    }
}
