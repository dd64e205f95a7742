package io.shuttlebridge.cli.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/** A module's pom.xml as written (not the effective model): coordinates, properties, dependencies, plugins. */
record PomFile(Path file, Element project) {
    /** One declared dependency; {@code scope} is {@code compile} when the pom names none. */
    record Dependency(String groupId, String artifactId, String version, String type, String scope, boolean optional) {
        String key() {
            return groupId + ":" + artifactId;
        }

        /** On the class path of an application that depends on the module (compile or runtime, not optional). */
        boolean passedOn() {
            return !optional && (scope.equals("compile") || scope.equals("runtime"));
        }
    }

    /** A plugin named in build/plugins or build/pluginManagement/plugins; version empty when not given there. */
    record Plugin(String key, String version) {}

    static PomFile read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document doc = factory.newDocumentBuilder().parse(in);
            return new PomFile(file, doc.getDocumentElement());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    String artifactId() {
        return text(project, "artifactId").orElseThrow();
    }

    /** The groupId written in this pom, else the parent's. */
    String groupId() {
        return text(project, "groupId")
                .or(() -> parent().flatMap(p -> text(p, "groupId")))
                .orElseThrow();
    }

    /** The version written in this pom, else the parent's. */
    String version() {
        return text(project, "version")
                .or(() -> parent().flatMap(p -> text(p, "version")))
                .orElseThrow();
    }

    String packaging() {
        return text(project, "packaging").orElse("jar");
    }

    Optional<Element> parent() {
        return child(project, "parent");
    }

    List<String> modules() {
        return child(project, "modules").map(m -> texts(m, "module")).orElse(List.of());
    }

    Map<String, String> properties() {
        Map<String, String> properties = new TreeMap<>();
        child(project, "properties")
                .ifPresent(ps -> children(ps)
                        .forEach(p -> properties.put(
                                p.getTagName(), p.getTextContent().trim())));
        return properties;
    }

    /** A value with this pom's own {@code ${property}} references replaced. */
    String resolve(String value) {
        Map<String, String> properties = properties();
        String resolved = value;
        for (Map.Entry<String, String> p : properties.entrySet()) {
            resolved = resolved.replace("${" + p.getKey() + "}", p.getValue());
        }
        return resolved;
    }

    List<Dependency> dependencies() {
        return child(project, "dependencies").map(PomFile::dependencies).orElse(List.of());
    }

    List<Dependency> managedDependencies() {
        return child(project, "dependencyManagement")
                .flatMap(dm -> child(dm, "dependencies"))
                .map(PomFile::dependencies)
                .orElse(List.of());
    }

    List<Plugin> plugins() {
        return child(project, "build")
                .flatMap(b -> child(b, "plugins"))
                .map(PomFile::plugins)
                .orElse(List.of());
    }

    List<Plugin> managedPlugins() {
        return child(project, "build")
                .flatMap(b -> child(b, "pluginManagement"))
                .flatMap(pm -> child(pm, "plugins"))
                .map(PomFile::plugins)
                .orElse(List.of());
    }

    private static List<Dependency> dependencies(Element list) {
        return children(list).stream()
                .filter(e -> e.getTagName().equals("dependency"))
                .map(d -> new Dependency(
                        text(d, "groupId").orElseThrow(),
                        text(d, "artifactId").orElseThrow(),
                        text(d, "version").orElse(""),
                        text(d, "type").orElse("jar"),
                        text(d, "scope").orElse("compile"),
                        text(d, "optional").map(Boolean::parseBoolean).orElse(false)))
                .toList();
    }

    private static List<Plugin> plugins(Element list) {
        return children(list).stream()
                .filter(e -> e.getTagName().equals("plugin"))
                .map(p -> new Plugin(
                        text(p, "groupId").orElse("org.apache.maven.plugins") + ":"
                                + text(p, "artifactId").orElseThrow(),
                        text(p, "version").orElse("")))
                .toList();
    }

    private static Optional<Element> child(Element parent, String name) {
        return children(parent).stream()
                .filter(e -> e.getTagName().equals(name))
                .findFirst();
    }

    private static Optional<String> text(Element parent, String name) {
        return child(parent, name).map(e -> e.getTextContent().trim());
    }

    private static List<String> texts(Element parent, String name) {
        return children(parent).stream()
                .filter(e -> e.getTagName().equals(name))
                .map(e -> e.getTextContent().trim())
                .toList();
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                elements.add(e);
            }
        }
        return elements;
    }
}
