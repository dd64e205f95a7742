package io.shuttlebridge.core.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.SqliteFiles;
import io.shuttlebridge.core.internal.dialect.Dialects;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApplyPlanTest {
    @TempDir
    Path dir;

    private List<Table> read(Path file) {
        try (ShuttleDatabase db = ShuttleDatabase.sqlite(file)) {
            return db.read(c -> {
                List<Table> tables = new ArrayList<>();
                for (String name : Dialects.of(db).listTables(c)) {
                    tables.add(Dialects.of(db).readTable(c, name));
                }
                return tables;
            });
        }
    }

    @Test
    void parentsBeforeChildrenWithCycleAndSelfReference() {
        Path f = dir.resolve("s.db");
        SqliteFiles.exec(
                f,
                "CREATE TABLE lines (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders(id), product_id INTEGER REFERENCES products)",
                "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id))",
                "CREATE TABLE customers (id INTEGER PRIMARY KEY, referred_by INTEGER REFERENCES customers(id), last_order INTEGER REFERENCES orders(id))",
                "CREATE TABLE products (sku TEXT PRIMARY KEY)",
                "CREATE TABLE employees (id INTEGER PRIMARY KEY, boss INTEGER REFERENCES employees(id))");
        ApplyPlan plan = ApplyPlan.of(read(f));

        assertThat(plan.cycles()).containsExactly(List.of("customers", "orders"));
        assertThat(plan.selfReferencing()).containsExactlyInAnyOrder("customers", "employees");
        List<String> order = plan.upsertOrder();
        assertThat(order).containsExactlyInAnyOrder("lines", "orders", "customers", "products", "employees");
        assertThat(order.indexOf("products")).isLessThan(order.indexOf("lines"));
        assertThat(order.indexOf("orders")).isLessThan(order.indexOf("lines"));
        assertThat(order.indexOf("customers")).isLessThan(order.indexOf("lines"));
        assertThat(plan.deleteOrder().indexOf("lines"))
                .isLessThan(plan.deleteOrder().indexOf("orders"));
        assertThat(plan.needsDeferredChecks("orders")).isTrue();
        assertThat(plan.needsDeferredChecks("employees")).isTrue();
        assertThat(plan.needsDeferredChecks("products")).isFalse();
        assertThat(plan.describe())
                .anyMatch(l -> l.contains("cycle") && l.contains("customers <-> orders"))
                .anyMatch(l -> l.contains("self-reference: employees"));
    }

    @Test
    void discoversCompositeAndNonIntegerKeys() {
        Path f = dir.resolve("k.db");
        SqliteFiles.exec(
                f,
                "CREATE TABLE playlist (id INTEGER PRIMARY KEY)",
                "CREATE TABLE track (id BLOB PRIMARY KEY, title TEXT NOT NULL)",
                "CREATE TABLE playlist_track (playlist_id INTEGER NOT NULL, track_id BLOB NOT NULL, pos INTEGER,"
                        + " PRIMARY KEY (playlist_id, track_id), FOREIGN KEY (playlist_id) REFERENCES playlist(id),"
                        + " FOREIGN KEY (track_id) REFERENCES track(id))",
                "CREATE TABLE ref (a INTEGER, b BLOB, note TEXT, PRIMARY KEY (b, a),"
                        + " FOREIGN KEY (a, b) REFERENCES playlist_track(playlist_id, track_id))");
        List<Table> tables = read(f);
        Table pt = tables.stream()
                .filter(t -> t.name().equals("playlist_track"))
                .findFirst()
                .orElseThrow();
        assertThat(pt.primaryKey()).containsExactly("playlist_id", "track_id");
        Table ref =
                tables.stream().filter(t -> t.name().equals("ref")).findFirst().orElseThrow();
        assertThat(ref.primaryKey()).containsExactly("b", "a");
        assertThat(ref.foreignKeys()).singleElement().satisfies(fk -> {
            assertThat(fk.childColumns()).containsExactly("a", "b");
            assertThat(fk.parentColumns()).containsExactly("playlist_id", "track_id");
        });
        assertThat(ApplyPlan.of(tables).upsertOrder()).containsSubsequence("playlist", "playlist_track", "ref");
        assertThat(ApplyPlan.of(tables).upsertOrder()).containsSubsequence("track", "playlist_track");
    }

    @Test
    void tableWithoutPrimaryKeyIsRefusedWithReason() {
        Path f = dir.resolve("n.db");
        SqliteFiles.exec(f, "CREATE TABLE logs (at TEXT, line TEXT)");
        Table logs = read(f).get(0);
        assertThatThrownBy(logs::requirePrimaryKey)
                .isInstanceOf(ShuttleException.class)
                .hasMessageContaining("\"logs\" has no primary key")
                .hasMessageContaining("identify a row")
                .satisfies(e -> assertThat(((ShuttleException) e).code()).isEqualTo(ErrorCode.UNSUPPORTED_SCHEMA));
    }

    @Test
    void chinookSchemaIsOrderedWithItsSelfReference() {
        Path chinook = Path.of("..", "..", "shared", "data", "chinook", "Chinook_Sqlite.sqlite")
                .toAbsolutePath()
                .normalize();
        Assumptions.assumeTrue(chinook.toFile().exists(), "Chinook sample not present");
        Path copy = dir.resolve("chinook.db");
        try {
            Files.copy(chinook, copy);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ApplyPlan plan = ApplyPlan.of(read(copy));
        assertThat(plan.selfReferencing()).containsExactly("Employee");
        assertThat(plan.upsertOrder()).containsSubsequence("Employee", "Customer", "Invoice", "InvoiceLine");
        assertThat(plan.upsertOrder()).containsSubsequence("Playlist", "PlaylistTrack");
        assertThat(plan.cycles()).isEmpty();
    }
}
