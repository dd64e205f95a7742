package io.shuttlebridge.bridge.internal.config;

import io.shuttlebridge.bridge.definition.SourceSpec;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/** Parses {@code source}: {@code type: http | jdbc | csv} and its settings. */
final class SourceParser {
    private final Path baseDir;

    SourceParser(Path baseDir) {
        this.baseDir = baseDir;
    }

    SourceSpec source(YamlNode node, Set<String> fields) {
        node.requireObject();
        String type = node.get("type").text();
        SourceSpec spec = switch (type) {
            case "http" -> http(node);
            case "jdbc" -> jdbc(node);
            case "csv" -> csv(node);
            default -> throw node.get("type").error("unknown source type '" + type + "' (expected http, jdbc or csv)");
        };
        if (spec.rowversion() != null && !fields.contains(spec.rowversion())) {
            throw node.get("rowversion").error("unknown field '" + spec.rowversion() + "' (declare it under fields)");
        }
        if (spec.deletedFlag() != null && !fields.contains(spec.deletedFlag())) {
            throw node.get("deleted").error("unknown field '" + spec.deletedFlag() + "' (declare it under fields)");
        }
        return spec;
    }

    private static SourceSpec.Http http(YamlNode node) {
        node.allowOnly(
                "type",
                "url",
                "token",
                "records",
                "pagination",
                "rowversion",
                "since_param",
                "deleted",
                "max_retries",
                "timeout");
        URI url = node.get("url").parse("URL", URI::create);
        if (url.getScheme() == null || !url.getScheme().startsWith("http")) {
            throw node.get("url").error("expected an http or https URL, found '" + url + "'");
        }
        Duration timeout =
                node.has("timeout") ? DefinitionParser.duration(node.get("timeout")) : Duration.ofSeconds(30);
        return new SourceSpec.Http(
                url,
                node.get("token").text(null),
                node.get("records").text("data"),
                pagination(node.get("pagination")),
                node.get("rowversion").text(null),
                node.get("since_param").text("since"),
                node.get("deleted").text(null),
                node.get("max_retries").integer(5, 0),
                timeout);
    }

    private static SourceSpec.Pagination pagination(YamlNode node) {
        if (node.isMissing()) {
            return new SourceSpec.Pagination.Page("page", "page_size", 500, 1);
        }
        node.allowOnly(
                "type",
                "size",
                "page_param",
                "size_param",
                "first",
                "offset_param",
                "limit_param",
                "cursor_param",
                "next");
        int size = node.get("size").integer(500, 1);
        String type = node.get("type").text("page");
        return switch (type) {
            case "page" ->
                new SourceSpec.Pagination.Page(
                        node.get("page_param").text("page"),
                        node.get("size_param").text("page_size"),
                        size,
                        node.get("first").integer(1, 0));
            case "offset" ->
                new SourceSpec.Pagination.Offset(
                        node.get("offset_param").text("offset"),
                        node.get("limit_param").text("limit"),
                        size);
            case "cursor" ->
                new SourceSpec.Pagination.Cursor(
                        node.get("cursor_param").text("cursor"),
                        node.get("next").text("next_cursor"),
                        node.get("size_param").text("limit"),
                        size);
            default ->
                throw node.get("type").error("unknown pagination '" + type + "' (expected page, offset or cursor)");
        };
    }

    private static SourceSpec.Jdbc jdbc(YamlNode node) {
        node.allowOnly("type", "url", "user", "password", "table", "query", "rowversion", "deleted", "fetch_size");
        String url = node.get("url").text();
        if (!url.startsWith("jdbc:")) {
            throw node.get("url").error("expected a JDBC URL (jdbc:...), found '" + url + "'");
        }
        if (node.has("table") == node.has("query")) {
            throw node.error("expected exactly one of table or query");
        }
        return new SourceSpec.Jdbc(
                url,
                node.get("user").text(null),
                node.get("password").text(null),
                node.get("table").text(null),
                node.get("query").text(null),
                node.get("rowversion").text(null),
                node.get("deleted").text(null),
                node.get("fetch_size").integer(1000, 1));
    }

    private SourceSpec.Csv csv(YamlNode node) {
        node.allowOnly("type", "path", "delimiter", "encoding", "rowversion", "deleted");
        Path path = Path.of(node.get("path").text());
        if (!path.isAbsolute() && baseDir != null) {
            path = baseDir.resolve(path);
        }
        String delimiter = node.get("delimiter").text(",");
        if (delimiter.length() != 1) {
            throw node.get("delimiter").error("expected one character, found '" + delimiter + "'");
        }
        Charset charset = node.has("encoding")
                ? node.get("encoding").parse("encoding", Charset::forName)
                : StandardCharsets.UTF_8;
        return new SourceSpec.Csv(
                path,
                delimiter.charAt(0),
                charset,
                node.get("rowversion").text(null),
                node.get("deleted").text(null));
    }
}
