package io.shuttlebridge.testkit.internal;

import io.shuttlebridge.testkit.TestSchema;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The writes of a soak: notes with new keys (each device keeps at most so many of its own: an insert
 * beyond deletes its oldest), updates and deletes of any note a device holds, and edits of a few board
 * rows every device shares. The rows stay few while the writes, deletes among them, pile up. Every choice
 * comes from the one {@link Random} given.
 */
public final class SoakWorkload {
    public static final String NOTES = "note";
    public static final String BOARDS = "board";
    private static final int BOARD_ROWS = 5;

    public static final TestSchema SCHEMA = TestSchema.of(
            "CREATE TABLE note (id INTEGER PRIMARY KEY, owner TEXT NOT NULL, body TEXT, edits INTEGER NOT NULL)",
            "CREATE TABLE board (id INTEGER PRIMARY KEY, title TEXT, edits INTEGER NOT NULL)");

    private final Random random;
    private final int rowsPerDevice;
    private long nextId = 1;
    private long writes;

    public SoakWorkload(Random random, int rowsPerDevice) {
        this.random = random;
        this.rowsPerDevice = rowsPerDevice;
    }

    /** The board rows every device shares, written on the hub before any device is cloned. */
    public void boards(Node hub) {
        for (int i = 1; i <= BOARD_ROWS; i++) {
            hub.execute("INSERT INTO board (id, title, edits) VALUES (" + i + ", 'board " + i + "', 0)");
        }
    }

    /** Application writes made so far. */
    public long writes() {
        return writes;
    }

    /** One write on {@code device} (two when an insert pushes its oldest note out). */
    public void write(Node device) {
        int dice = random.nextInt(100);
        if (dice < 45) {
            insert(device);
        } else if (dice < 75) {
            Long id = anyNote(device);
            if (id == null) {
                insert(device);
            } else {
                exec(device, "UPDATE note SET body = 'b" + writes + "', edits = edits + 1 WHERE id = " + id);
            }
        } else if (dice < 85) {
            Long id = anyNote(device);
            if (id != null) {
                exec(device, "DELETE FROM note WHERE id = " + id);
            }
        } else {
            int board = 1 + random.nextInt(BOARD_ROWS);
            exec(device, "UPDATE board SET title = 't" + writes + "', edits = edits + 1 WHERE id = " + board);
        }
    }

    private void insert(Node device) {
        long id = nextId++;
        exec(
                device,
                "INSERT INTO note (id, owner, body, edits) VALUES (" + id + ", '" + device.name() + "', 'b" + writes
                        + "', 0)");
        List<Map<String, Object>> own =
                device.query("SELECT id FROM note WHERE owner = '" + device.name() + "' ORDER BY id");
        if (own.size() > rowsPerDevice) {
            exec(device, "DELETE FROM note WHERE id = " + own.get(0).get("id"));
        }
    }

    /** A note {@code device} holds, at random; null when it holds none. */
    private Long anyNote(Node device) {
        List<Map<String, Object>> ids = device.query("SELECT id FROM note ORDER BY id");
        return ids.isEmpty()
                ? null
                : ((Number) ids.get(random.nextInt(ids.size())).get("id")).longValue();
    }

    private void exec(Node device, String sql) {
        device.execute(sql);
        writes++;
    }
}
