package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.internal.dialect.Dialects;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import io.shuttlebridge.core.internal.sync.EngineAccess;
import io.shuttlebridge.core.internal.sync.NewColumns;
import io.shuttlebridge.core.sync.RejectedWrite;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Schema changes at points of a run drawn from the seed, as an application's releases make them while its
 * devices sync: the hub's first table gains a nullable column ({@value #NULLABLE}) and one with a default
 * ({@value #DEFAULTED}); a new table ({@value #NEW_TABLE}) referring to it appears on the hub; a device adds a
 * column ({@value #EARLY}) itself before the hub has it (its writes of it are refused as {@code
 * SCHEMA_MISMATCH}), which the hub gains later. The hub takes each change at once (as its feed-watch tick
 * does) and devices follow on their next sync; the workload writes the new columns and table on the
 * devices that have them. Changes not made when the random writes end are made then.
 *
 * <p>The checks: around every sync of a device, no value of a new column on the hub turns NULL while that
 * device lacked the column or had not taken the hub's values of it yet (it never blanks a column it does
 * not know); at the end, every device has every new column and table, and no write waits for a column.
 */
public final class SchemaSteps {
    public static final String NULLABLE = "nick";
    public static final String DEFAULTED = "tier";
    public static final String EARLY = "early";
    public static final String NEW_TABLE = "visit";

    private enum Kind {
        NULLABLE_COLUMN,
        DEFAULTED_COLUMN,
        NEW_TABLE,
        DEVICE_FIRST,
        HUB_CATCHES_UP
    }

    private final Cluster cluster;
    private final Random random;
    private final String parent;
    private final String parentKey;
    private final boolean postgres;
    private final Map<Kind, Integer> at = new EnumMap<>(Kind.class);
    private final List<String> hubDdl = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final List<String> blanked = new ArrayList<>();

    /** Draws, for a run of {@code writes} writes, after which write each change is made. */
    public SchemaSteps(Cluster cluster, Random random, int writes) {
        this.cluster = cluster;
        this.random = random;
        this.parent = cluster.tables().get(0);
        Table t = cluster.hub()
                .database()
                .read(c -> Dialects.of(cluster.hub().database()).readTable(c, parent));
        if (t.primaryKey().size() != 1) {
            throw new io.shuttlebridge.core.ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    "schema changes during the run add a table referring to the first table, \"" + parent
                            + "\", which needs a one-column primary key; it has " + t.primaryKey());
        }
        this.parentKey = t.primaryKey().get(0);
        this.postgres = !Dialects.of(cluster.hub().database()).name().equals("sqlite");
        int span = Math.max(1, writes);
        for (Kind k : Kind.values()) {
            at.put(k, random.nextInt(span));
        }
        if (at.get(Kind.HUB_CATCHES_UP) < at.get(Kind.DEVICE_FIRST)) {
            int first = at.get(Kind.HUB_CATCHES_UP);
            at.put(Kind.HUB_CATCHES_UP, at.get(Kind.DEVICE_FIRST));
            at.put(Kind.DEVICE_FIRST, first);
        }
    }

    /** Makes the changes due once {@code made} writes are made. */
    public void step(int made) {
        for (Kind k : Kind.values()) {
            Integer when = at.get(k);
            if (when != null && when <= made) {
                at.remove(k);
                run(k, made);
            }
        }
    }

    /** Makes the changes not made yet (the random writes are over). */
    public void finish(int made) {
        for (Kind k : Kind.values()) {
            if (at.remove(k) != null) {
                run(k, made);
            }
        }
    }

    private void run(Kind k, int made) {
        String integer = postgres ? "BIGINT" : "INTEGER";
        switch (k) {
            case NULLABLE_COLUMN -> hub(made, "ALTER TABLE " + q(parent) + " ADD COLUMN " + q(NULLABLE) + " TEXT");
            case DEFAULTED_COLUMN ->
                hub(made, "ALTER TABLE " + q(parent) + " ADD COLUMN " + q(DEFAULTED) + " " + integer + " DEFAULT 3");
            case NEW_TABLE ->
                hub(
                        made,
                        "CREATE TABLE " + q(NEW_TABLE) + " (id " + integer + " PRIMARY KEY, parent_id " + integer
                                + " REFERENCES " + q(parent) + "(" + q(parentKey) + "), note TEXT)");
            case DEVICE_FIRST -> {
                List<DeviceNode> devices = cluster.devices();
                DeviceNode d = devices.get(random.nextInt(devices.size()));
                if (columns(d, parent).contains(EARLY)) {
                    return;
                }
                d.execute("ALTER TABLE " + q(parent) + " ADD COLUMN " + q(EARLY) + " TEXT");
                d.engine().refreshSchema(); // its capture takes the column: its writes of it are pushed
                log.add(d.name() + " added " + parent + "." + EARLY + " itself after write " + made);
            }
            case HUB_CATCHES_UP -> hub(made, "ALTER TABLE " + q(parent) + " ADD COLUMN " + q(EARLY) + " TEXT");
        }
    }

    private void hub(int made, String ddl) {
        cluster.hub().execute(ddl);
        hubDdl.add(ddl);
        cluster.hub().engine().refreshSchema(); // as the hub's feed-watch tick does, at a point the seed decides
        log.add("hub: " + ddl + " after write " + made);
    }

    /**
     * The hub was restored from a backup taken before some of the changes: they are made again (as an
     * operator runs the migrations again after a restore).
     */
    public void hubRestored() {
        Node hub = cluster.hub();
        for (String ddl : hubDdl) {
            String object = ddl.startsWith("CREATE TABLE")
                    ? NEW_TABLE
                    : ddl.substring(ddl.indexOf("ADD COLUMN ") + "ADD COLUMN ".length())
                            .split(" ")[0]
                            .replace("\"", "");
            boolean has = ddl.startsWith("CREATE TABLE")
                    ? hub.database().read(c -> Dialects.of(hub.database()).hasTable(c, NEW_TABLE))
                    : columns(hub, parent).contains(object);
            if (!has) {
                hub.execute(ddl);
                log.add("hub restored: " + ddl + " again");
            }
        }
    }

    /** What the hub holds of the new columns now, to compare after {@code device}'s sync ({@link #check}). */
    public Watch watch(DeviceNode device) {
        Set<String> lacks = new java.util.HashSet<>(Set.of(NULLABLE, DEFAULTED, EARLY));
        lacks.removeAll(columns(device, parent));
        lacks.addAll(device.database().read(NewColumns::pending).getOrDefault(parent, Set.of()));
        Set<String> hubHas = columns(cluster.hub(), parent);
        lacks.retainAll(hubHas);
        if (lacks.isEmpty()) {
            return null;
        }
        return new Watch(device.name(), lacks, values(lacks));
    }

    /** The new columns' values on the hub before a device's sync, of the columns the device lacked. */
    public record Watch(String device, Set<String> columns, Map<List<Object>, Map<String, Object>> before) {}

    /** After the sync {@code w} watched: a value of a column the device lacked that the hub lost to NULL. */
    public void check(Watch w, int step) {
        if (w == null) {
            return;
        }
        Map<List<Object>, Map<String, Object>> after = values(w.columns());
        w.before().forEach((key, was) -> {
            Map<String, Object> now = after.get(key);
            if (now == null) {
                return; // deleted
            }
            was.forEach((col, v) -> {
                if (v != null && now.get(col) == null && blanked.size() < 10) {
                    blanked.add(parent + " " + key + "." + col + ": " + RowValues.show(v) + " on the hub became NULL in"
                            + " a sync of " + w.device() + " at step " + step + ", which lacked the column");
                }
            });
        });
    }

    private Map<List<Object>, Map<String, Object>> values(Set<String> cols) {
        Map<List<Object>, Map<String, Object>> out = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(cols);
        for (Map<String, Object> r : cluster.hub()
                .query("SELECT " + SqlText.quote(parentKey) + ", " + SqlText.columns(all) + " FROM " + q(parent))) {
            Map<String, Object> v = new HashMap<>();
            all.forEach(c -> v.put(c, RowValues.normalize(r.get(c))));
            out.put(List.of(RowValues.normalize(r.get(parentKey))), v);
        }
        return out;
    }

    /**
     * The end: every device has every new column and table, and holds no write refused for want of one;
     * no new column's value was blanked. Returns what is wrong.
     */
    public List<String> finalChecks() {
        List<String> out = new ArrayList<>(blanked);
        for (DeviceNode d : cluster.devices()) {
            Set<String> cols = columns(d, parent);
            for (String col : List.of(NULLABLE, DEFAULTED, EARLY)) {
                if (!cols.contains(col)) {
                    out.add(d.name() + " lacks " + parent + "." + col + " after its last sync");
                }
            }
            if (!EngineAccess.context(d.engine()).schema().table(NEW_TABLE).isPresent()) {
                out.add(d.name() + " does not sync table " + NEW_TABLE + " after its last sync");
            }
            for (RejectedWrite w : d.engine().rejectedWrites(true)) {
                if (w.code() == ErrorCode.SCHEMA_MISMATCH) {
                    out.add(d.name() + " still holds a write refused for want of a column: " + w.table() + " " + w.key()
                            + " " + w.message());
                }
            }
        }
        return out;
    }

    /** What the hub holds of the new columns and table at the end (what the devices wrote of them). */
    public String written() {
        Node hub = cluster.hub();
        Map<String, Object> r = hub.query("SELECT count(" + q(NULLABLE) + ") AS n, count(CASE WHEN " + q(DEFAULTED)
                        + " <> 3 THEN 1 END) AS d, count(" + q(EARLY) + ") AS e FROM " + q(parent))
                .get(0);
        Object visits =
                hub.query("SELECT count(*) AS v FROM " + q(NEW_TABLE)).get(0).get("v");
        return "the hub holds " + r.get("n") + " " + parent + " row(s) with a " + NULLABLE + ", " + r.get("d")
                + " with a " + DEFAULTED + " other than its default, " + r.get("e") + " with an " + EARLY + ", "
                + visits + " " + NEW_TABLE + " row(s)";
    }

    /** What was changed, and when. */
    public List<String> log() {
        return List.copyOf(log);
    }

    private static Set<String> columns(Node node, String table) {
        Table t = node.database().read(c -> Dialects.of(node.database()).readTable(c, table));
        Set<String> out = new java.util.HashSet<>();
        for (Column c : t.columns()) {
            out.add(c.name());
        }
        return out;
    }

    private static String q(String identifier) {
        return SqlText.quote(identifier);
    }
}
