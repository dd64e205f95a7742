package io.shuttlebridge.core.bundle;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ProgressListener;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.bundle.BundleHashes;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import io.shuttlebridge.core.internal.change.FeedEntry;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.internal.sync.NewColumns;
import io.shuttlebridge.core.internal.sync.PeerStore;
import io.shuttlebridge.core.internal.sync.apply.Applier;
import io.shuttlebridge.core.internal.sync.apply.Role;
import io.shuttlebridge.core.sync.PeerCursor;
import io.shuttlebridge.core.sync.SyncEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Offline transfer: a self-contained SQLite file with the changes a peer has not acknowledged,
 * and an acknowledgement of what this node has received from that peer, so two nodes that never
 * share a network stay converged by carrying files back and forth. Import is atomic and idempotent.
 * The times a bundle and its import carry come from the engine's clock.
 */
public final class Bundles {
    private static final int PAGE = 5000;

    private Bundles() {}

    /** What an import did. */
    public record ImportResult(
            BundleManifest manifest,
            boolean alreadyImported,
            int applied,
            int duplicates,
            int superseded,
            int pending,
            int conflicts) {}

    /** Writes the changes {@code peerNode} has not acknowledged into a new bundle file. */
    public static BundleManifest export(SyncEngine engine, String peerNode, Path out, ProgressListener progress) {
        requireUuid(peerNode);
        if (Files.exists(out)) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "bundle file " + out + " exists already; choose a new name");
        }
        var db = engine.database();
        SyncSchema schema = EngineAccess.context(engine).schema();
        PeerCursor peer = db.read(c -> PeerStore.get(c, peerNode));
        long from = peer.acked();
        // columns added here whose values the hub has not given yet: never sent as NULL over the peer's
        Map<String, Set<String>> unfilled = db.read(NewColumns::pending);
        List<String> jsons = new ArrayList<>();
        long to = from;
        long after = from;
        while (true) {
            final long a = after;
            FeedReader.Page page = db.transaction(c -> new FeedReader(Dialects.of(db), schema)
                    .read(c, FeedReader.Query.after(a, PAGE).excludingPeer(peerNode)));
            for (Change ch : NewColumns.withoutUnfilled(
                    page.entries().stream().map(FeedEntry::change).toList(), unfilled)) {
                jsons.add(ChangeCodec.toJson(ChangeCodec.change(ch)));
            }
            to = page.lastSeq();
            after = page.lastSeq();
            progress.progress("export", jsons.size(), -1);
            if (!page.more()) {
                break;
            }
        }
        BundleManifest m = new BundleManifest(
                UUID.randomUUID().toString(),
                engine.nodeUuid(),
                peerNode,
                engine.clock().instant().toString(),
                BundleHashes.schema(schema.tables()),
                jsons.size(),
                BundleHashes.content(jsons),
                from,
                to,
                peer.lastPulled());
        write(out, m, jsons, schema.tables());
        return m;
    }

    private static void write(Path out, BundleManifest m, List<String> jsons, Collection<SyncedTable> tables) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + out)) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE bundle_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("CREATE TABLE bundle_changes (n INTEGER PRIMARY KEY, change_json TEXT NOT NULL)");
                s.execute("CREATE TABLE bundle_tables (name TEXT PRIMARY KEY, description TEXT NOT NULL)");
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("format", BundleManifest.FORMAT);
            meta.put("bundle_id", m.bundleId());
            meta.put("source_node", m.sourceNode());
            meta.put("target_node", m.targetNode());
            meta.put("created_at", m.createdAt());
            meta.put("schema_fingerprint", m.schemaFingerprint());
            meta.put("change_count", m.changeCount());
            meta.put("content_hash", m.contentHash());
            meta.put("from_seq", m.fromSeq());
            meta.put("to_seq", m.toSeq());
            meta.put("ack_seq", m.ackSeq());
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bundle_meta VALUES (?, ?)")) {
                for (var e : meta.entrySet()) {
                    ps.setString(1, e.getKey());
                    ps.setString(2, String.valueOf(e.getValue()));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO bundle_changes (n, change_json) VALUES (?, ?)")) {
                for (int i = 0; i < jsons.size(); i++) {
                    ps.setInt(1, i + 1);
                    ps.setString(2, jsons.get(i));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO bundle_tables VALUES (?, ?)")) {
                for (SyncedTable t : tables) {
                    ps.setString(1, t.name());
                    ps.setString(2, BundleHashes.describe(t));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            c.commit();
        } catch (SQLException e) {
            throw ShuttleException.database("writing bundle " + out, e);
        }
    }

    /** Validates a bundle and applies it atomically; a bundle imported before changes nothing. */
    public static ImportResult importBundle(SyncEngine engine, Path file, ProgressListener progress) {
        BundleContent content = read(file);
        BundleManifest m = content.manifest();
        if (m.sourceNode().equals(engine.nodeUuid())) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "bundle " + m.bundleId() + " was written by this node; import it on " + m.targetNode());
        }
        checkSchema(engine, content);
        var db = engine.database();
        return db.transaction(c -> {
            if (Jdbc.queryLong(c, "SELECT 1 FROM _shuttle_bundles WHERE bundle_id = ?", m.bundleId())
                    .isPresent()) {
                return new ImportResult(m, true, 0, 0, 0, 0, 0);
            }
            List<Change> changes = new ArrayList<>(content.jsons().size());
            for (int i = 0; i < content.jsons().size(); i++) {
                changes.add(ChangeCodec.change(
                        ChangeCodec.parse(content.jsons().get(i), "change " + (i + 1)), "changes[" + i + "]"));
            }
            progress.progress("import " + file.getFileName(), 0, changes.size());
            Applier.Outcome o =
                    EngineAccess.context(engine).unboundedApplier().apply(c, changes, m.sourceNode(), Role.DEVICE);
            progress.progress("import " + file.getFileName(), changes.size(), changes.size());
            var cursor = PeerStore.get(c, m.sourceNode());
            if (m.fromSeq() <= cursor.lastPulled()) {
                PeerStore.setPulled(c, m.sourceNode(), Math.max(cursor.lastPulled(), m.toSeq()));
            }
            PeerStore.acknowledge(c, m.sourceNode(), m.ackSeq());
            PeerStore.outcome(
                    c,
                    m.sourceNode(),
                    "bundle " + m.bundleId() + ": applied " + o.applied() + ", duplicates " + o.duplicates(),
                    engine.clock());
            Jdbc.update(
                    c,
                    "INSERT INTO _shuttle_bundles (bundle_id, source_node, imported_at, applied, duplicates) VALUES (?, ?, ?, ?, ?)",
                    m.bundleId(),
                    m.sourceNode(),
                    engine.clock().instant().toString(),
                    o.applied(),
                    o.duplicates());
            return new ImportResult(
                    m,
                    false,
                    o.applied(),
                    o.duplicates(),
                    o.superseded(),
                    o.pending(),
                    o.conflicts().size());
        });
    }

    record BundleContent(BundleManifest manifest, List<String> jsons, Map<String, String> tables) {}

    /** Opens and fully validates a bundle file: integrity, metadata, count and content hash. */
    static BundleContent read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ShuttleException(ErrorCode.NOT_FOUND, "no bundle file at " + file);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + file.toAbsolutePath() + "?mode=ro")) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                String first = rs.next() ? rs.getString(1) : "no answer";
                if (!"ok".equals(first)) {
                    throw malformed(file, "the file is damaged (" + first + ")");
                }
            }
            Map<String, String> meta = new LinkedHashMap<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT key, value FROM bundle_meta")) {
                while (rs.next()) {
                    meta.put(rs.getString(1), rs.getString(2));
                }
            }
            if (!String.valueOf(BundleManifest.FORMAT).equals(meta.get("format"))) {
                throw malformed(
                        file,
                        "unknown bundle format " + meta.get("format") + " (this version reads format "
                                + BundleManifest.FORMAT + ")");
            }
            BundleManifest m;
            try {
                m = new BundleManifest(
                        req(meta, "bundle_id", file),
                        req(meta, "source_node", file),
                        req(meta, "target_node", file),
                        req(meta, "created_at", file),
                        req(meta, "schema_fingerprint", file),
                        Long.parseLong(req(meta, "change_count", file)),
                        req(meta, "content_hash", file),
                        Long.parseLong(req(meta, "from_seq", file)),
                        Long.parseLong(req(meta, "to_seq", file)),
                        Long.parseLong(req(meta, "ack_seq", file)));
            } catch (NumberFormatException e) {
                throw malformed(file, "a number in its metadata is not a number: " + e.getMessage());
            }
            List<String> jsons = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT change_json FROM bundle_changes ORDER BY n")) {
                while (rs.next()) {
                    jsons.add(rs.getString(1));
                }
            }
            if (jsons.size() != m.changeCount()) {
                throw malformed(file, "it declares " + m.changeCount() + " changes but holds " + jsons.size());
            }
            String hash = BundleHashes.content(jsons);
            if (!hash.equals(m.contentHash())) {
                throw malformed(
                        file,
                        "its content does not match its hash (declared "
                                + m.contentHash().substring(0, 12) + "…, computed " + hash.substring(0, 12)
                                + "…): it was altered or corrupted");
            }
            Map<String, String> tables = new LinkedHashMap<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT name, description FROM bundle_tables")) {
                while (rs.next()) {
                    tables.put(rs.getString(1), rs.getString(2));
                }
            }
            return new BundleContent(m, jsons, tables);
        } catch (SQLException e) {
            throw malformed(file, "it is not a readable bundle (" + e.getMessage() + ")");
        }
    }

    private static void checkSchema(SyncEngine engine, BundleContent content) {
        SyncSchema schema = EngineAccess.context(engine).schema();
        if (content.manifest().schemaFingerprint().equals(BundleHashes.schema(schema.tables()))) {
            return;
        }
        List<String> problems = new ArrayList<>();
        for (var e : content.tables().entrySet()) {
            var mine = schema.table(e.getKey());
            if (mine.isEmpty()) {
                problems.add("table \"" + e.getKey() + "\" is not synced here");
            } else if (!BundleHashes.describe(mine.get()).equals(e.getValue())) {
                problems.add("table \"" + e.getKey() + "\" differs: bundle has " + e.getValue() + ", here "
                        + BundleHashes.describe(mine.get()));
            }
        }
        if (!problems.isEmpty()) {
            throw new ShuttleException(
                    ErrorCode.UNSUPPORTED_SCHEMA,
                    "bundle " + content.manifest().bundleId() + " does not fit this database's schema: "
                            + String.join("; ", problems));
        }
    }

    private static String req(Map<String, String> meta, String key, Path file) {
        String v = meta.get(key);
        if (v == null || v.isEmpty()) {
            throw malformed(file, "its metadata lacks " + key);
        }
        return v;
    }

    private static ShuttleException malformed(Path file, String why) {
        return new ShuttleException(
                ErrorCode.MALFORMED_PAYLOAD, "bundle " + file + " refused, nothing applied: " + why);
    }

    private static void requireUuid(String node) {
        try {
            UUID.fromString(node);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "--peer must be a node uuid as printed by 'shuttle status', got '" + node + "'",
                    e);
        }
    }
}
