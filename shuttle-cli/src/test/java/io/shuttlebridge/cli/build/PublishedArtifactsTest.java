package io.shuttlebridge.cli.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.cli.build.PomFile.Dependency;
import io.shuttlebridge.cli.build.PomFile.Plugin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What `./mvnw install` publishes for applications to depend on, read from the poms (the installed
 * poms are these files): every library module under one groupId and version, the BOM that lists them
 * all, nothing of the command line, the benchmarks, a logging backend or embedded PostgreSQL on an
 * application's class path, and JDBC drivers only where the library cannot work without them. The
 * build's enforcer rule checks the same ban on the resolved, transitive dependencies.
 */
class PublishedArtifactsTest {
    static final String GROUP = "io.shuttlebridge";
    static final Set<String> APPLICATIONS = Set.of("shuttle-cli", "shuttle-bench");
    static final String BOM = "shuttle-bom";
    /** The module that builds the example applications against the libraries: published by nobody. */
    static final String EXAMPLES = "examples";

    static final Set<String> BANNED_GROUPS =
            Set.of("ch.qos.logback", "info.picocli", "io.zonky.test", "io.zonky.test.postgres", "org.openjdk.jmh");
    static final String SQLITE = "org.xerial:sqlite-jdbc";
    static final String POSTGRES = "org.postgresql:postgresql";
    /** The drivers a library brings: a device's database is a SQLite file; every other driver is the user's choice. */
    static final Map<String, Set<String>> DRIVERS_BROUGHT = Map.of(
            "shuttle-core", Set.of(),
            "shuttle-bridge", Set.of(),
            "shuttle-server", Set.of(),
            "shuttle-client", Set.of(SQLITE),
            "shuttle-testkit", Set.of(SQLITE),
            "shuttle-jpa", Set.of(),
            "shuttle-spring-boot-starter", Set.of(SQLITE));
    /** A dependency in the README's XML: groupId, artifactId and, when given, version. */
    static final Pattern README_DEPENDENCY = Pattern.compile(
            "<groupId>([^<]+)</groupId>\\s*<artifactId>([^<]+)</artifactId>(?:\\s*<version>([^<]+)</version>)?");
    /** What the packagings jar and pom run in clean, default (up to deploy) and site. */
    static final Set<String> LIFECYCLE_PLUGINS = Set.of(
            "maven-clean-plugin",
            "maven-resources-plugin",
            "maven-compiler-plugin",
            "maven-surefire-plugin",
            "maven-jar-plugin",
            "maven-install-plugin",
            "maven-deploy-plugin",
            "maven-site-plugin");

    final Path root = Path.of("").toAbsolutePath().getParent();
    final PomFile parent = PomFile.read(root.resolve("pom.xml"));
    final Map<String, PomFile> modules = new HashMap<>();

    PomFile module(String name) {
        return modules.computeIfAbsent(name, n -> PomFile.read(root.resolve(n).resolve("pom.xml")));
    }

    Set<String> libraries() {
        Set<String> libraries = new TreeSet<>(parent.modules());
        libraries.removeAll(APPLICATIONS);
        libraries.remove(BOM);
        libraries.remove(EXAMPLES);
        return libraries;
    }

    /** Group:artifact of everything an application depending on {@code name} gets, following our own modules. */
    Set<String> passedOn(String name) {
        Set<String> found = new LinkedHashSet<>();
        for (Dependency d : module(name).dependencies()) {
            if (d.passedOn()
                    && found.add(d.key())
                    && d.groupId().equals(GROUP)
                    && Files.exists(root.resolve(d.artifactId()))) {
                found.addAll(passedOn(d.artifactId()));
            }
        }
        return found;
    }

    @Test
    void theLibrariesAreTheModulesButTheApplicationsAndTheBom() {
        assertThat(parent.artifactId()).isEqualTo("shuttle-parent");
        assertThat(parent.modules()).contains(BOM).containsAll(APPLICATIONS);
        assertThat(libraries())
                .as("every library has a rule for the drivers it brings")
                .containsExactlyInAnyOrderElementsOf(DRIVERS_BROUGHT.keySet());
    }

    @Test
    void theBomManagesEveryLibraryAtTheBuildsVersionAndNothingElse() {
        PomFile bom = module(BOM);
        assertThat(bom.parent())
                .as("a parent's dependencyManagement would be imported with the BOM")
                .isEmpty();
        assertThat(bom.groupId()).isEqualTo(GROUP);
        assertThat(bom.version()).as("one version for all").isEqualTo(parent.version());
        assertThat(bom.packaging()).isEqualTo("pom");
        assertThat(bom.managedDependencies()).allSatisfy(d -> {
            assertThat(d.groupId()).isEqualTo(GROUP);
            assertThat(d.version()).isEqualTo("${project.version}");
            assertThat(d.type()).isEqualTo("jar");
        });
        assertThat(bom.managedDependencies().stream().map(Dependency::artifactId))
                .containsExactlyInAnyOrderElementsOf(libraries());
    }

    @Test
    void everyLibraryIsPublishedUnderTheGroupAndVersionOfTheBuild() {
        assertThat(parent.groupId()).isEqualTo(GROUP);
        Set<String> managedByParent = parent.managedDependencies().stream()
                .filter(d -> d.groupId().equals(GROUP))
                .map(Dependency::artifactId)
                .collect(Collectors.toSet());
        for (String name : libraries()) {
            PomFile pom = module(name);
            assertThat(pom.artifactId()).isEqualTo(name);
            assertThat(pom.groupId()).as(name).isEqualTo(GROUP);
            assertThat(pom.version()).as(name).isEqualTo(parent.version());
            assertThat(pom.packaging()).as(name).isEqualTo("jar");
            assertThat(pom.properties()).as(name).doesNotContainKeys("maven.install.skip", "maven.javadoc.skip");
            assertThat(managedByParent).as("the parent manages " + name).contains(name);
        }
    }

    @Test
    void noLibraryBringsTheCommandLineTheBenchmarksALoggingBackendOrEmbeddedPostgres() {
        for (String name : libraries()) {
            assertThat(passedOn(name))
                    .as(name)
                    .doesNotContain(GROUP + ":shuttle-cli", GROUP + ":shuttle-bench")
                    .noneMatch(key -> BANNED_GROUPS.contains(key.substring(0, key.indexOf(':'))));
        }
    }

    @Test
    void jdbcDriversComeOnlyWithTheLibrariesThatCannotWorkWithoutThem() {
        for (String name : libraries()) {
            assertThat(passedOn(name).stream().filter(key -> key.equals(SQLITE) || key.equals(POSTGRES)))
                    .as(name)
                    .containsExactlyInAnyOrderElementsOf(DRIVERS_BROUGHT.get(name));
        }
        for (String app : APPLICATIONS) {
            assertThat(passedOn(app)).as(app + " runs hubs on both").contains(SQLITE, POSTGRES);
        }
    }

    @Test
    void theApplicationsAreNeitherInstalledNorDeployed() {
        for (String app : APPLICATIONS) {
            assertThat(module(app).properties())
                    .as(app)
                    .containsEntry("maven.install.skip", "true")
                    .containsEntry("maven.deploy.skip", "true")
                    .containsEntry("maven.source.skip", "true")
                    .containsEntry("maven.javadoc.skip", "true");
        }
    }

    @Test
    void theExamplesAreNeitherInstalledNorDeployed() {
        assertThat(module(EXAMPLES).packaging()).isEqualTo("pom");
        assertThat(module(EXAMPLES).properties())
                .containsEntry("maven.install.skip", "true")
                .containsEntry("maven.deploy.skip", "true");
    }

    @Test
    void theReadmeNamesWhatTheBuildPublishes() throws IOException {
        String readme = Files.readString(root.resolve("README.md"));
        Matcher m = README_DEPENDENCY.matcher(readme);
        Set<String> named = new TreeSet<>();
        while (m.find()) {
            String key = m.group(1) + ":" + m.group(2);
            String expected = switch (key) {
                case SQLITE -> parent.properties().get("sqlite-jdbc.version");
                case POSTGRES -> parent.properties().get("postgresql.version");
                default -> m.group(1).equals(GROUP) ? parent.version() : null;
            };
            if (expected == null) {
                continue; // the example application's own coordinates
            }
            named.add(key);
            if (m.group(3) != null) {
                assertThat(m.group(3)).as("the README's version of " + key).isEqualTo(expected);
            }
            if (m.group(1).equals(GROUP)) {
                assertThat(m.group(2))
                        .as("published")
                        .isIn(Stream.concat(libraries().stream(), Stream.of(BOM))
                                .toList());
            }
        }
        assertThat(named)
                .contains(GROUP + ":" + BOM, GROUP + ":shuttle-client", GROUP + ":shuttle-server", SQLITE, POSTGRES);
    }

    @Test
    void everyPluginVersionIsPinned() {
        Map<String, String> pinned = parent.managedPlugins().stream()
                .filter(p -> !p.version().isEmpty())
                .collect(Collectors.toMap(Plugin::key, p -> parent.resolve(p.version())));
        for (String lifecycle : LIFECYCLE_PLUGINS) {
            assertThat(pinned).as("pinned by the parent").containsKey("org.apache.maven.plugins:" + lifecycle);
        }
        List<PomFile> poms = parent.modules().stream().map(this::module).toList();
        for (PomFile pom : poms) {
            for (Plugin p : pom.plugins()) {
                assertThat(p.version().isEmpty() ? pinned.get(p.key()) : p.version())
                        .as(p.key() + " in " + pom.artifactId())
                        .isNotBlank();
            }
        }
        for (Plugin p : parent.plugins()) {
            assertThat(pinned).as(p.key() + " in the parent").containsKey(p.key());
        }
        Map<String, String> bomPins =
                module(BOM).managedPlugins().stream().collect(Collectors.toMap(Plugin::key, Plugin::version));
        for (String lifecycle : Set.of("maven-clean-plugin", "maven-install-plugin", "maven-deploy-plugin")) {
            assertThat(bomPins).as("pinned in the BOM").containsKey("org.apache.maven.plugins:" + lifecycle);
        }
        bomPins.forEach((key, version) ->
                assertThat(version).as(key + " in the BOM, as in the parent").isEqualTo(pinned.get(key)));
    }
}
