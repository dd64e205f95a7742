package io.shuttlebridge.bridge.internal.store;

import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Bridge's own state in the target database, in tables prefixed {@code _shuttle_bridge_} (never
 * sync-enabled): entities, identities per business key (clustered by an order-preserving key prefix,
 * see {@link StateStore}), pass cursors and the seen-set of the open pass, batches, dead letters,
 * pending children, schedule marks. Created idempotently.
 */
public final class BridgeSchema {
    /** The longest entity name, record key and dead letter status where the database bounds indexed text. */
    public static final int ENTITY_CHARS = 255;

    public static final int RECORD_KEY_CHARS = 480;
    public static final int STATUS_CHARS = 32;
    /** A business key's hash (XXH3-128) and room to spare. */
    private static final int BK_HASH_BYTES = 64;

    private BridgeSchema() {}

    public static void install(Connection c, Dialect dialect) {
        String id = dialect.identityPrimaryKey();
        String blob = dialect.binaryType();
        // the columns secondary indexes cover: bounded where the database indexes no unbounded text (MariaDB:
        // at most 3,072 bytes per key, four per character, so entity + record key + status fit)
        String entity = dialect.indexedText(ENTITY_CHARS);
        List<String> ddl = List.of(
                "CREATE TABLE IF NOT EXISTS _shuttle_bridge_entity (id " + id + ", name TEXT NOT NULL UNIQUE,"
                        + " next_identity BIGINT NOT NULL)",
                "CREATE TABLE IF NOT EXISTS _shuttle_bridge_identity (entity_id BIGINT NOT NULL, ord " + blob
                        + " NOT NULL,"
                        + " bk_hash " + blob + " NOT NULL, id BIGINT NOT NULL, data_hash " + blob
                        + " NOT NULL, rowversion TEXT,"
                        + " key_json TEXT NOT NULL, batch_id BIGINT, PRIMARY KEY (entity_id, ord, bk_hash))"
                        + dialect.clusteredByPrimaryKey(),
                "CREATE TABLE IF NOT EXISTS _shuttle_bridge_seen (entity TEXT NOT NULL, chunk BIGINT NOT NULL, bits "
                        + blob + " NOT NULL, PRIMARY KEY (entity, chunk))",
                "CREATE TABLE IF NOT EXISTS _shuttle_bridge_cursor (entity TEXT PRIMARY KEY, high_water TEXT, pass_id BIGINT,"
                        + " pass_full INTEGER, pass_token TEXT, pass_since TEXT, pass_state_max BIGINT, pass_started_at TEXT,"
                        + " pass_rows BIGINT NOT NULL DEFAULT 0, passes BIGINT NOT NULL DEFAULT 0, last_complete_at TEXT)",
                "CREATE TABLE IF NOT EXISTS _shuttle_bridge_batch (id " + id
                        + ", entity " + entity + " NOT NULL, trigger_kind TEXT NOT NULL,"
                        + " pass_id BIGINT, full_pass INTEGER NOT NULL, pass_complete INTEGER NOT NULL DEFAULT 0,"
                        + " outcome TEXT NOT NULL, error TEXT, started_at TEXT NOT NULL, finished_at TEXT,"
                        + " fetched BIGINT NOT NULL DEFAULT 0, normalized BIGINT NOT NULL DEFAULT 0, invalid BIGINT NOT NULL DEFAULT 0,"
                        + " mapped BIGINT NOT NULL DEFAULT 0, inserted BIGINT NOT NULL DEFAULT 0, updated BIGINT NOT NULL DEFAULT 0,"
                        + " unchanged BIGINT NOT NULL DEFAULT 0, deleted BIGINT NOT NULL DEFAULT 0, pending BIGINT NOT NULL DEFAULT 0,"
                        + " resolved BIGINT NOT NULL DEFAULT 0, dead_lettered BIGINT NOT NULL DEFAULT 0, retried BIGINT NOT NULL DEFAULT 0,"
                        + " stage_ms TEXT, rows_per_second DOUBLE PRECISION)",
                "CREATE INDEX IF NOT EXISTS _shuttle_bridge_batch_entity ON _shuttle_bridge_batch (entity, id)",
                "CREATE TABLE IF NOT EXISTS _shuttle_bridge_dead_letter (id " + id
                        + ", entity " + entity + " NOT NULL, batch_id BIGINT,"
                        + " stage TEXT NOT NULL, rule TEXT, error TEXT NOT NULL, record_key "
                        + dialect.indexedText(RECORD_KEY_CHARS) + " NOT NULL, raw TEXT,"
                        + " normalized TEXT, mapped TEXT, attempts INTEGER NOT NULL, status "
                        + dialect.indexedText(STATUS_CHARS) + " NOT NULL,"
                        + " created_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
                "CREATE INDEX IF NOT EXISTS _shuttle_bridge_dead_letter_key ON _shuttle_bridge_dead_letter (entity, record_key, status)",
                "CREATE TABLE IF NOT EXISTS _shuttle_bridge_pending (id " + id + ", entity " + entity
                        + " NOT NULL, bk_hash " + dialect.indexedBinary(BK_HASH_BYTES) + " NOT NULL,"
                        + " data_hash " + blob
                        + " NOT NULL, rowversion TEXT, key_json TEXT NOT NULL, mapped TEXT NOT NULL,"
                        + " raw TEXT, parent_table TEXT NOT NULL, parent_key TEXT NOT NULL, attempts INTEGER NOT NULL,"
                        + " next_attempt_at TEXT NOT NULL, reason TEXT NOT NULL, created_at TEXT NOT NULL)",
                "CREATE UNIQUE INDEX IF NOT EXISTS _shuttle_bridge_pending_bk ON _shuttle_bridge_pending (entity, bk_hash)",
                "CREATE TABLE IF NOT EXISTS _shuttle_bridge_schedule (entity TEXT PRIMARY KEY, last_trigger_at TEXT, reset_at TEXT)");
        try (Statement s = c.createStatement()) {
            for (String sql : ddl) {
                try {
                    s.execute(sql);
                } catch (SQLException e) {
                    throw new SQLException(e.getMessage() + " (in: " + sql + ")", e.getSQLState(), e.getErrorCode(), e);
                }
            }
            if (!c.getAutoCommit()) {
                c.commit();
            }
        } catch (SQLException e) {
            throw ShuttleException.database("creating Bridge metadata tables", e);
        }
    }
}
