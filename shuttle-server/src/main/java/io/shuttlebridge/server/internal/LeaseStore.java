package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.DatabaseException;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.id.KSortedId;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.dialect.TransactionLock;
import io.shuttlebridge.core.protocol.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Short-id leases kept in the hub database ({@code _shuttle_leases}): a device key keeps its id
 * while it renews, an expired id goes to the next new device, and the primary key on the id and
 * the unique device key make it impossible for two devices to hold one id, even when several
 * hub processes share the database. Each lease is one transaction.
 *
 * <p>A renewal updates the device's own row and waits for no one. Giving a new device an id reads
 * which ids are free and takes one, so two devices doing it at once would pick the same id: on
 * PostgreSQL and MariaDB, where a pooled hub (or several hub processes) runs many leases at once,
 * the transaction that gives an id first takes the dialect's {@link TransactionLock} ({@link
 * #LOCK_CLASS}: PostgreSQL's transaction-scoped advisory lock, MariaDB's {@code GET_LOCK}, let go
 * after the transaction ends), so new devices get their ids one after the other, each seeing the ids
 * given before it, and the lock is held only for the few statements of one lease. SQLite has one
 * writer, which orders them already.
 */
public final class LeaseStore {
    public static final int MAX_IDS = KSortedId.MAX_SHORT_ID + 1;
    /** The lock held while giving out an id ('leas'), of the database's schema. */
    static final int LOCK_CLASS = 0x6c656173;

    /**
     * Tries of a lease that lost a race: a busy SQLite file shared by several processes, or a concurrent lease
     * of the same id where nothing orders them.
     */
    private static final int ATTEMPTS = 5;

    private final ShuttleDatabase db;
    /** What orders the giving of new ids, where the database runs leases at once; empty on SQLite. */
    private final Optional<TransactionLock> newIds;

    private final MillisClock clock;
    private final Duration ttl;

    public LeaseStore(ShuttleDatabase db, Clock clock, Duration ttl) {
        this(db, clock::millis, ttl);
    }

    /** Leases in {@code db}, given and expiring by {@code clock}, for {@code ttl} at a time. */
    public LeaseStore(ShuttleDatabase db, MillisClock clock, Duration ttl) {
        this(db, clock, ttl, Dialects.of(db).transactionLock());
    }

    /** Leases in {@code db} with {@code newIds} ordering the giving of new ids (the dialect's lock, or none). */
    LeaseStore(ShuttleDatabase db, MillisClock clock, Duration ttl, Optional<TransactionLock> newIds) {
        this.db = db;
        this.clock = clock;
        this.ttl = ttl;
        this.newIds = newIds;
        db.transaction(c -> {
            try (var st = c.createStatement()) {
                st.execute(
                        "CREATE TABLE IF NOT EXISTS _shuttle_leases (short_id INTEGER PRIMARY KEY, device_key TEXT NOT NULL UNIQUE,"
                                + " node_uuid TEXT NOT NULL, leased_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)");
            }
            return null;
        });
    }

    /** Leases or renews the short id of {@code deviceKey}. */
    public Lease lease(String deviceKey, String nodeUuid) {
        validate(deviceKey, nodeUuid);
        DatabaseException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            try {
                return leaseOnce(deviceKey, nodeUuid);
            } catch (DatabaseException e) {
                if (e.failure() != DatabaseException.Failure.UNIQUE_VIOLATION
                        && e.failure() != DatabaseException.Failure.SERIALIZATION_FAILURE) {
                    throw e; // a connection not to be had now included: the device retries, not this request
                }
                last = e; // a concurrent lease took the same id first (unique key) or the database was busy: try again
            }
        }
        throw last;
    }

    /** Frees the short id leased to {@code nodeUuid}, if any (a retired device); whether there was one. */
    public static boolean release(ShuttleDatabase db, String nodeUuid) {
        return db.transaction(c -> {
            if (!Dialects.of(db).hasTable(c, "_shuttle_leases")) {
                return false;
            }
            return update(c, "DELETE FROM _shuttle_leases WHERE node_uuid = ?", nodeUuid) > 0;
        });
    }

    /** The node that holds {@code deviceKey}'s lease, if it has one. */
    public Optional<String> nodeOf(String deviceKey) {
        if (deviceKey == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(db.read(c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT node_uuid FROM _shuttle_leases WHERE device_key = ?")) {
                ps.setString(1, deviceKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        }));
    }

    /**
     * One lease in one transaction. Where a lock orders new ids, the transaction runs on a connection held past
     * its end, so that a session-level lock (MariaDB's) is let go after the commit or rollback, on every path.
     */
    private Lease leaseOnce(String deviceKey, String nodeUuid) {
        if (newIds.isEmpty()) {
            return db.transaction(c -> leaseIn(c, deviceKey, nodeUuid, null));
        }
        TransactionLock lock = newIds.get();
        return db.read(c -> {
            boolean[] held = {false};
            Lease lease;
            try {
                lease = Jdbc.inTransaction(
                        c,
                        tx -> leaseIn(tx, deviceKey, nodeUuid, () -> {
                            held[0] = true; // a failed take may still have taken it: releasing is harmless
                            lock.take(tx, LOCK_CLASS);
                        }));
            } catch (SQLException | RuntimeException | Error e) {
                if (held[0]) {
                    try {
                        lock.release(c, LOCK_CLASS);
                    } catch (SQLException | RuntimeException releaseFailure) {
                        e.addSuppressed(releaseFailure); // the lease's own failure is what the caller is told
                    }
                }
                throw e;
            }
            if (held[0]) {
                lock.release(c, LOCK_CLASS);
            }
            return lease;
        });
    }

    /** Takes the lock that orders new ids, inside the lease's transaction. */
    private interface TakeLock {
        void take() throws SQLException;
    }

    private Lease leaseIn(Connection c, String deviceKey, String nodeUuid, TakeLock lock) throws SQLException {
        long now = clock.millis();
        long expires = now + ttl.toMillis();
        Lease renewed = renew(c, deviceKey, nodeUuid, expires);
        if (renewed != null) {
            return renewed;
        }
        if (lock != null) {
            // new ids are given one at a time (until this transaction ends): each sees the ones given before it
            lock.take();
            renewed = renew(c, deviceKey, nodeUuid, expires); // the same device, leasing twice at once
            if (renewed != null) {
                return renewed;
            }
        }
        Integer free = queryInt(
                c,
                "SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM _shuttle_leases WHERE short_id = 0) THEN 0 ELSE"
                        + " (SELECT min(l.short_id) + 1 FROM _shuttle_leases l WHERE l.short_id + 1 < ?"
                        + " AND NOT EXISTS (SELECT 1 FROM _shuttle_leases m WHERE m.short_id = l.short_id + 1)) END",
                MAX_IDS);
        if (free != null) {
            update(
                    c,
                    "INSERT INTO _shuttle_leases (short_id, device_key, node_uuid, leased_at, expires_at) VALUES (?, ?, ?, ?, ?)",
                    free,
                    deviceKey,
                    nodeUuid,
                    now,
                    expires);
            return new Lease(free, Instant.ofEpochMilli(expires));
        }
        for (int tries = 0; tries < 10; tries++) {
            // the longest-expired id; its device renewing it meanwhile keeps it, and the next one is taken
            Integer expired = queryInt(
                    c,
                    "SELECT short_id FROM _shuttle_leases WHERE expires_at <= ? ORDER BY expires_at, short_id LIMIT 1",
                    now);
            if (expired == null) {
                break;
            }
            int n = update(
                    c,
                    "UPDATE _shuttle_leases SET device_key = ?, node_uuid = ?, leased_at = ?, expires_at = ?"
                            + " WHERE short_id = ? AND expires_at <= ?",
                    deviceKey,
                    nodeUuid,
                    now,
                    expires,
                    expired,
                    now);
            if (n == 1) {
                return new Lease(expired, Instant.ofEpochMilli(expires));
            }
        }
        Long soonest = queryLong(c, "SELECT min(expires_at) FROM _shuttle_leases");
        throw new ShuttleException(
                ErrorCode.RESOURCE_EXHAUSTED,
                "all " + MAX_IDS + " short ids are leased to other devices; the first"
                        + " lease ends at " + (soonest == null ? "an unknown time" : Instant.ofEpochMilli(soonest))
                        + ": retry after that, or shorten the lease time so that ids of retired devices come back sooner");
    }

    /** Renews {@code deviceKey}'s lease, if it has one. */
    private static Lease renew(Connection c, String deviceKey, String nodeUuid, long expires) throws SQLException {
        Integer mine = queryInt(c, "SELECT short_id FROM _shuttle_leases WHERE device_key = ?", deviceKey);
        if (mine == null) {
            return null;
        }
        update(
                c,
                "UPDATE _shuttle_leases SET node_uuid = ?, expires_at = ? WHERE short_id = ?",
                nodeUuid,
                expires,
                mine);
        return new Lease(mine, Instant.ofEpochMilli(expires));
    }

    /** Refuses a device key or node uuid a lease cannot be given for (400), before anything is written. */
    public static void validate(String deviceKey, String nodeUuid) {
        if (deviceKey == null || deviceKey.isBlank() || deviceKey.length() > 200) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "deviceKey: a non-empty string of at most 200 characters is required");
        }
        try {
            UUID.fromString(nodeUuid);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "nodeUuid must be a UUID, got '" + nodeUuid + "'", e);
        }
    }

    private static Integer queryInt(Connection c, String sql, Object... args) throws SQLException {
        Long v = queryLong(c, sql, args);
        return v == null ? null : v.intValue();
    }

    private static Long queryLong(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                long v = rs.getLong(1);
                return rs.wasNull() ? null : v;
            }
        }
    }

    private static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
