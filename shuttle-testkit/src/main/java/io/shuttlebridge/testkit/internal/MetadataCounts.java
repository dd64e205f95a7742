package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.core.internal.feed.Feed;
import io.shuttlebridge.testkit.SoakResult;
import java.util.LinkedHashMap;
import java.util.Map;

/** The rows of every {@code _shuttle_} table of a node's SQLite database, and the tombstones in its feed. */
public final class MetadataCounts {
    private MetadataCounts() {}

    public static Map<String, Integer> of(Node node) {
        Feed.compact(node.database());
        Map<String, Integer> out = new LinkedHashMap<>();
        for (Map<String, Object> t : node.query("SELECT name FROM sqlite_schema WHERE type = 'table'"
                + " AND name LIKE '\\_shuttle\\_%' ESCAPE '\\' ORDER BY name")) {
            String name = (String) t.get("name");
            out.put(name, count(node, "SELECT count(*) AS n FROM " + name));
        }
        out.put(SoakResult.TOMBSTONES, count(node, "SELECT count(*) AS n FROM _shuttle_feed WHERE op = 2"));
        return out;
    }

    private static int count(Node node, String sql) {
        return ((Number) node.query(sql).get(0).get("n")).intValue();
    }
}
