package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.id.MillisClock;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.sync.NodeIds;
import io.shuttlebridge.server.auth.Subject;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which subject each node belongs to (DESIGN §8), kept in the hub database ({@code
 * _shuttle_node_subjects}): a node is bound to the subject that first names it (lease, clone,
 * push or pull), and a request naming a node bound to another subject is refused. The binding
 * never changes, so it is remembered in memory once read; the feed records the node each change
 * came through, and with it who wrote what. Callers without per-user identity ({@link
 * Subject#TRUSTED}) bind nothing: a hub moved from a shared token to JWTs binds on first use.
 */
public final class NodeBindings {
    private final ShuttleDatabase db;
    private final MillisClock clock;
    private final Map<String, String> known = new ConcurrentHashMap<>();

    public NodeBindings(ShuttleDatabase db, MillisClock clock) {
        this.db = db;
        this.clock = clock;
        db.execute("CREATE TABLE IF NOT EXISTS _shuttle_node_subjects (node_uuid TEXT PRIMARY KEY,"
                + " subject TEXT NOT NULL, bound_at BIGINT NOT NULL)");
    }

    /**
     * Binds {@code nodeUuid} to {@code subject} if it is new.
     *
     * @throws ShuttleException {@link ErrorCode#FORBIDDEN} when the node belongs to another subject,
     *     {@link ErrorCode#INVALID_ARGUMENT} when it is not a UUID (nothing is bound then)
     */
    public void check(Subject subject, String nodeUuid) {
        bindNew(subject, nodeUuid);
    }

    /**
     * {@link #check}, telling whether this call is the one that bound the node: a request that
     * fails afterwards {@linkplain #unbind undoes} its binding, so a refused request binds nothing.
     */
    public boolean bindNew(Subject subject, String nodeUuid) {
        if (subject == Subject.TRUSTED || nodeUuid == null) {
            return false;
        }
        NodeIds.require(nodeUuid);
        String owner = known.get(nodeUuid);
        boolean bound = false;
        if (owner == null) {
            Binding b = bind(nodeUuid, subject.id());
            owner = b.subject();
            bound = b.created();
            known.put(nodeUuid, owner);
        }
        if (!owner.equals(subject.id())) {
            throw new ShuttleException(
                    ErrorCode.FORBIDDEN,
                    "node " + nodeUuid + " belongs to another subject; a device acts only as the nodes it registered"
                            + " (clone a new device for this user)");
        }
        return bound;
    }

    /** Forgets a binding this request made ({@link #bindNew} said so) because the request failed. */
    public void unbind(String nodeUuid) {
        known.remove(nodeUuid);
        db.execute("DELETE FROM _shuttle_node_subjects WHERE node_uuid = ?", nodeUuid);
    }

    private record Binding(String subject, boolean created) {}

    /** How many nodes a subject registered and how many rows it wrote last. */
    public record Writer(String subject, long nodes, long rows) {}

    /** Every subject that registered a node on the hub over {@code db}, by rows written; none on a hub without JWTs. */
    public static List<Writer> writers(ShuttleDatabase db) {
        return db.read(c -> {
            List<Writer> out = new ArrayList<>();
            if (!Dialects.of(db).hasTable(c, "_shuttle_node_subjects")) {
                return out;
            }
            try (PreparedStatement ps = c.prepareStatement(WRITERS);
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Writer(rs.getString(1), rs.getLong(2), rs.getLong(3)));
                }
            }
            return out;
        });
    }

    /** Node to subject, for every node bound on the hub over {@code db}; empty on a hub without JWTs. */
    public static Map<String, String> subjectsByNode(ShuttleDatabase db) {
        return db.read(c -> {
            Map<String, String> out = new HashMap<>();
            if (!Dialects.of(db).hasTable(c, "_shuttle_node_subjects")) {
                return out;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT node_uuid, subject FROM _shuttle_node_subjects");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    /** The feed keeps the node each change came through ({@code via}, else its origin); its subject wrote it. */
    private static final String WRITERS = """
            SELECT s.subject, count(DISTINCT s.node_uuid),
              (SELECT count(*) FROM _shuttle_feed f JOIN _shuttle_nodes n ON n.id = coalesce(f.via, f.origin)
                JOIN _shuttle_node_subjects w ON w.node_uuid = n.uuid WHERE w.subject = s.subject) AS written
            FROM _shuttle_node_subjects s GROUP BY s.subject ORDER BY written DESC, s.subject""";

    private Binding bind(String nodeUuid, String subject) {
        return db.transaction(c -> {
            boolean created;
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO _shuttle_node_subjects (node_uuid, subject, bound_at)"
                            + " VALUES (?, ?, ?) ON CONFLICT (node_uuid) DO NOTHING")) {
                ps.setString(1, nodeUuid);
                ps.setString(2, subject);
                ps.setLong(3, clock.millis());
                created = ps.executeUpdate() == 1;
            }
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT subject FROM _shuttle_node_subjects WHERE node_uuid = ?")) {
                ps.setString(1, nodeUuid);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Binding(rs.getString(1), created);
                }
            }
        });
    }
}
