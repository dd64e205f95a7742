package io.shuttlebridge.jpa.docs;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.client.HttpTransport;
import io.shuttlebridge.client.NodeLeases;
import io.shuttlebridge.core.Postgres;
import io.shuttlebridge.core.ShuttleDatabase;
import io.shuttlebridge.core.capture.Capture;
import io.shuttlebridge.core.sync.SyncEngine;
import io.shuttlebridge.jpa.SyncEntities;
import io.shuttlebridge.server.HubServer;
import jakarta.persistence.EntityManagerFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hibernate.boot.model.naming.CamelCaseToUnderscoresNamingStrategy;
import org.hibernate.jpa.HibernatePersistenceConfiguration;
import org.hibernate.tool.schema.Action;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/jpa.md shows what runs here: its entity is {@link Note}, its device code the block between
 * the markers below (whitespace aside), run against a PostgreSQL hub over HTTP; the Hibernate
 * version it names is the build's.
 */
class JpaDocsExampleIT {
    static final Path DOC = Path.of("..", "docs", "jpa.md");
    static final String START = "// --- docs/jpa.md device example start";
    static final String END = "// --- docs/jpa.md device example end";

    @TempDir
    Path dir;

    @Test
    void theDeviceExampleRunsAgainstAHub() throws Exception {
        String hubJdbcUrl = Postgres.freshDatabase();
        String token = "docs-token";
        try (EntityManagerFactory hubJpa = new HibernatePersistenceConfiguration("hub")
                        .managedClasses(Note.class)
                        .jdbcUrl(hubJdbcUrl)
                        .property("hibernate.physical_naming_strategy", CamelCaseToUnderscoresNamingStrategy.class)
                        .schemaToolingAction(Action.CREATE_ONLY)
                        .createEntityManagerFactory();
                ShuttleDatabase hubDb = ShuttleDatabase.open(hubJdbcUrl)) {
            Capture.enable(hubDb, SyncEntities.captureOptions(hubJpa));
            try (HubServer server = HubServer.builder(SyncEngine.open(hubDb))
                    .host("127.0.0.1")
                    .port(0)
                    .token(token)
                    .start()) {
                URI hubUrl = server.url();
                Path file = dir.resolve("device.db");
                // --- docs/jpa.md device example start
                EntityManagerFactory emf = new HibernatePersistenceConfiguration("notes")
                        .managedClasses(Note.class)
                        .jdbcUrl("jdbc:sqlite:" + file)
                        .property("hibernate.dialect", "org.hibernate.community.dialect.SQLiteDialect")
                        .property("hibernate.physical_naming_strategy", CamelCaseToUnderscoresNamingStrategy.class)
                        .property("hibernate.jdbc.batch_size", 50)
                        .schemaToolingAction(Action.CREATE_ONLY) // or your Flyway migrations
                        .createEntityManagerFactory();
                ShuttleDatabase db = ShuttleDatabase.sqlite(file);
                Capture.enable(db, SyncEntities.captureOptions(emf)); // note.updated_at stays local
                HttpTransport hub = HttpTransport.builder(hubUrl).token(token).build();
                NodeLeases.lease(db, hub); // the short id in this device's ids
                SyncEngine engine = SyncEngine.builder(db)
                        .applyListener(SyncEntities.evictOnApply(emf)) // with a second-level cache
                        .build();

                emf.runInTransaction(em -> em.persist(new Note("Buy milk")));
                engine.pullThenPush(hub); // or LiveSync to stay in step
                // --- docs/jpa.md device example end
                try (emf;
                        db) {
                    hubJpa.runInTransaction(em -> assertThat(em.createQuery("SELECT n.body FROM Note n", String.class)
                                    .getResultList())
                            .containsExactly("Buy milk"));
                }
            }
        }
    }

    @Test
    void theDocShowsTheseExamplesAndTheBuildsHibernate() throws IOException {
        String doc = Files.readString(DOC);
        String entity = Files.readString(Path.of("src/test/java/io/shuttlebridge/jpa/docs/Note.java"));
        String device = Files.readString(Path.of("src/test/java/io/shuttlebridge/jpa/docs/JpaDocsExampleIT.java"));
        assertThat(squeezed(javaBlock(doc, "## An entity")))
                .as("docs/jpa.md's entity is Note.java without its package line")
                .isEqualTo(squeezed(entity.substring(entity.indexOf(';') + 1)));
        assertThat(squeezed(javaBlock(doc, "## A device")))
                .as("docs/jpa.md's device code is the block between the markers in JpaDocsExampleIT")
                .isEqualTo(squeezed(
                        device.substring(device.lastIndexOf(START) + START.length(), device.lastIndexOf(END))));

        String pom = Files.readString(Path.of("..", "pom.xml"));
        Matcher built = Pattern.compile("<hibernate.version>([^<]+)</hibernate.version>")
                .matcher(pom);
        assertThat(built.find()).isTrue();
        Matcher named = Pattern.compile("<artifactId>hibernate-[a-z-]+</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(doc);
        int versions = 0;
        while (named.find()) {
            assertThat(named.group(1))
                    .as("the Hibernate version docs/jpa.md names")
                    .isEqualTo(built.group(1));
            versions++;
        }
        assertThat(versions).isEqualTo(2);
    }

    private static String javaBlock(String doc, String section) {
        int at = doc.indexOf(section);
        assertThat(at).as(section + " in docs/jpa.md").isNotNegative();
        int from = doc.indexOf("```java", at) + "```java".length();
        return doc.substring(from, doc.indexOf("```", from));
    }

    private static String squeezed(String code) {
        return code.replaceAll("\\s+", "");
    }
}
