package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.definition.EntityDefinition;
import io.shuttlebridge.bridge.internal.identity.IdentityHasher;
import io.shuttlebridge.bridge.internal.ingest.HttpSink;
import io.shuttlebridge.bridge.internal.ingest.JdbcSink;
import io.shuttlebridge.bridge.internal.ingest.Sink;
import io.shuttlebridge.bridge.internal.ingest.TeeSink;
import io.shuttlebridge.bridge.internal.resolve.ParentResolver;
import io.shuttlebridge.bridge.internal.store.RowCodec;
import io.shuttlebridge.bridge.internal.store.StateStore;
import io.shuttlebridge.bridge.internal.target.TargetSchema;
import io.shuttlebridge.bridge.internal.target.TargetTable;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** One entity's write side: its target table, sink, stored state and parent checks. */
final class EntityTarget implements AutoCloseable {
    final EntityDefinition def;
    final TargetTable table;
    final Sink sink;
    final StateStore state;
    final ParentResolver parents;
    final List<String> columns;
    /** For identities of rows that did not come through a chunk (pending children). */
    final IdentityHasher hasher;

    private final int[] keyIdx;
    private final Connection connection;
    /** The statement that defers this transaction's foreign-key checks to its commit, or null. */
    private final String deferForeignKeys;

    private EntityTarget(
            RunContext ctx,
            EntityDefinition def,
            TargetTable table,
            Sink sink,
            StateStore state,
            ParentResolver parents) {
        this.connection = ctx.connection();
        this.def = def;
        this.table = table;
        this.sink = sink;
        this.state = state;
        this.parents = parents;
        this.columns = def.targetColumns();
        this.keyIdx = def.keys().stream().mapToInt(columns::indexOf).toArray();
        this.hasher = IdentityHasher.of(def);
        this.deferForeignKeys = parents.deferrable() ? ctx.dialect().deferConstraintsStatement() : null;
    }

    /**
     * Defers the foreign-key checks of the current transaction to its commit where the target can
     * (every foreign key on SQLite, those declared DEFERRABLE on PostgreSQL), so that rows that
     * reference each other within one chunk (a cycle) can be written; rows are still written
     * parent-first, and a cycle through a key that cannot be deferred waits as pending children.
     */
    void deferForeignKeys() throws SQLException {
        if (deferForeignKeys != null) {
            try (Statement s = connection.createStatement()) {
                s.execute(deferForeignKeys);
            }
        }
    }

    static EntityTarget open(RunContext ctx, EntityDefinition def) {
        TargetTable table = TargetSchema.discover(ctx.connection(), ctx.dialect(), def.table());
        for (String column : def.targetColumns()) {
            if (!table.hasColumn(column)) {
                throw new ShuttleException(
                        ErrorCode.UNSUPPORTED_SCHEMA,
                        "entity '" + def.name() + "': target table " + def.table() + " has no column '" + column
                                + "' (columns: " + String.join(", ", table.columnNames()) + ")");
            }
        }
        Sink jdbc = new JdbcSink(ctx.connection(), ctx.dialect(), table, def.targetColumns(), def.keys());
        Sink written = def.sink() == null
                ? jdbc
                : new TeeSink(List.of(
                        jdbc,
                        new HttpSink(
                                def.sink(),
                                def.name(),
                                def.table(),
                                def.targetColumns(),
                                def.keys(),
                                ctx.sleeper(),
                                ctx.clock())));
        Sink sink = new ObservedSink(written, def.name(), ctx.observer());
        try {
            return new EntityTarget(
                    ctx,
                    def,
                    table,
                    sink,
                    new StateStore(
                            ctx.connection(),
                            ctx.dialect(),
                            def.name(),
                            def.source().rowversion() != null),
                    new ParentResolver(ctx.connection(), ctx.dialect(), table, def.targetColumns()));
        } catch (SQLException e) {
            throw ShuttleException.database("preparing state statements for " + def.name(), e);
        }
    }

    Object[] keyValues(Object[] mapped) {
        Object[] out = new Object[keyIdx.length];
        for (int i = 0; i < keyIdx.length; i++) {
            out[i] = mapped[keyIdx[i]];
        }
        return out;
    }

    String keyJson(Object[] mapped) {
        return RowCodec.encodeArray(keyValues(mapped));
    }

    @Override
    public void close() {
        sink.close();
        try {
            state.close();
        } catch (SQLException e) {
            throw ShuttleException.database("closing state statements", e);
        }
    }
}
