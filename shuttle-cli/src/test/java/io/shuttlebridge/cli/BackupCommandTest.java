package io.shuttlebridge.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** shuttle backup: the copy and its mark, and each mistake named; a PostgreSQL URL gets the pg_dump advice, a MariaDB or MySQL one
 * mariadb-dump's (mysqldump's). */
class BackupCommandTest {
    @TempDir
    Path dir;

    @Test
    void copiesASyncEnabledDatabaseAndMarksOnlyTheCopy() throws Exception {
        Path db = dir.resolve("device.db");
        ShuttleJar.sql(db, "CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT)", "INSERT INTO note VALUES (1, 'x')");
        assertThat(run("init", "--db", db.toString())[0]).isEqualTo("0");
        Path out = dir.resolve("device.bak");

        String[] r = run("backup", "--db", db.toString(), "--out", out.toString(), "--json");
        assertThat(r[0]).as(r[2]).isEqualTo("0");
        JsonNode doc = new ObjectMapper().readTree(r[1]);
        assertThat(doc.path("bytes").asLong()).isEqualTo(Files.size(out)).isPositive();
        assertThat(doc.path("node").asText())
                .isEqualTo(ShuttleJar.rows(db, "SELECT value FROM _shuttle_meta WHERE key = 'node_uuid'")
                        .get(0));
        String id = doc.path("backupId").asText();
        assertThat(ShuttleJar.rows(out, "SELECT value FROM _shuttle_meta WHERE key = 'backup_id'"))
                .containsExactly(id);
        assertThat(ShuttleJar.count(db, "SELECT count(*) FROM _shuttle_meta WHERE key = 'backup_id'"))
                .as("the database itself is not marked")
                .isZero();
        assertThat(ShuttleJar.rows(out, "SELECT id, body FROM note")).containsExactly("1|x");
        assertThat(ShuttleJar.rows(out, "PRAGMA integrity_check")).containsExactly("ok");
        assertThat(Files.exists(dir.resolve("device.bak.partial"))).isFalse();

        String[] again = run("backup", "--db", db.toString(), "--out", out.toString());
        assertThat(again[0]).isEqualTo("2");
        assertThat(again[2]).contains("exists already");

        String[] plain = run(
                "backup",
                "--db",
                db.toString(),
                "--out",
                dir.resolve("second.bak").toString());
        assertThat(plain[0]).isEqualTo("0");
        assertThat(plain[1])
                .startsWith("Backed up " + db)
                .contains("second.bak")
                .contains("bytes");
    }

    @Test
    void namesWhatItCannotBackUp() {
        String[] missing = run("backup", "--db", dir.resolve("nope.db").toString(), "--out", "x.bak");
        assertThat(missing[0]).isEqualTo("1");
        assertThat(missing[2]).contains("no database file at").contains("nope.db");
        assertThat(Files.exists(dir.resolve("nope.db"))).isFalse();

        String[] pg = run(
                "backup",
                "--db",
                "jdbc:postgresql://db.internal:5432/hub?user=hub&password=s3cret",
                "--out",
                dir.resolve("hub.bak").toString());
        assertThat(pg[0]).isEqualTo("2");
        assertThat(pg[2].strip().lines()).hasSize(1);
        assertThat(pg[2])
                .contains("pg_dump --format=custom")
                .contains("postgresql://db.internal:5432/hub")
                .contains("_shuttle_ tables")
                .contains("pg_restore")
                .doesNotContain("s3cret");

        String[] maria = run(
                "backup",
                "--db",
                "jdbc:mariadb://db.internal:3307/hub?user=hub&password=s3cret",
                "--out",
                dir.resolve("hub.bak").toString());
        assertThat(maria[0]).isEqualTo("2");
        assertThat(maria[2].strip().lines()).hasSize(1);
        assertThat(maria[2])
                .contains("mariadb-dump --single-transaction --triggers --routines --hex-blob")
                .contains("--host=db.internal --port=3307 --user=hub")
                .contains("--result-file=hub.sql hub")
                .contains("_shuttle_ tables and capture triggers")
                .contains("mariadb --default-character-set=utf8mb4 --host=db.internal --port=3307 --user=hub hub")
                .doesNotContain("s3cret");
        assertThat(Files.exists(dir.resolve("hub.bak"))).isFalse();

        String[] mysql = run(
                "backup",
                "--db",
                "jdbc:mysql://root:pw@mysql.internal/shop",
                "--out",
                dir.resolve("shop.bak").toString());
        assertThat(mysql[0]).isEqualTo("2");
        assertThat(mysql[2])
                .contains("a MySQL hub with mysqldump")
                .contains("mysqldump --single-transaction")
                .contains("--host=mysql.internal --user=root")
                .contains("mysql --default-character-set=utf8mb4")
                .doesNotContain("pw@");

        String[] noOut = run("backup", "--db", "x.db");
        assertThat(noOut[0]).isEqualTo("2");
        assertThat(noOut[2]).contains("--out");
    }

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }
}
