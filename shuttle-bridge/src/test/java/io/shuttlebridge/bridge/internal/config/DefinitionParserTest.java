package io.shuttlebridge.bridge.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.bridge.definition.PipelineDefinition;
import io.shuttlebridge.bridge.definition.SourceSpec;
import io.shuttlebridge.core.ShuttleException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DefinitionParserTest {
    static String entity(String name, String extra) {
        return """
                  - name: %s
                    table: t
                    source: {type: csv, path: a.csv}
                    fields: {customer_no: string, amount: decimal}
                    mappings:
                      - {target: customer_no, source: customer_no}
                    keys: [customer_no]
                %s""".formatted(name, extra);
    }

    static PipelineDefinition parse(String yaml) {
        return PipelineDefinition.parse(yaml, Map.of("TOKEN", "s3cret"), Path.of("/data"));
    }

    @Test
    void unknownMappingSourceNamesTheExactPath() {
        String yaml = "entities:\n" + entity("a", "") + entity("b", "") + """
                  - name: c
                    table: t
                    source: {type: csv, path: a.csv}
                    fields: {customer_no: string}
                    mappings:
                      - {target: customer_no, source: custmer_no}
                    keys: [customer_no]
                """;
        assertThatThrownBy(() -> parse(yaml))
                .isInstanceOf(ShuttleException.class)
                .hasMessageStartingWith("entities[2].mappings[0].source: unknown field 'custmer_no'");
    }

    @Test
    void otherProblemsNameTheirPaths() {
        assertThatThrownBy(() -> parse("entities:\n" + entity("a", "    batch_sise: 3\n")))
                .hasMessageStartingWith("entities[0].batch_sise: unknown key 'batch_sise'");
        assertThatThrownBy(() -> parse("entities:\n" + entity("a", "    rules:\n      - {field: amount, min: x}\n")))
                .hasMessageStartingWith("entities[0].rules[0].min: expected a number");
        assertThatThrownBy(() ->
                        parse("entities:\n" + entity("a", "    schedule: {window: '19:00-07:00', zone: Mars/Base}\n")))
                .hasMessageStartingWith("entities[0].schedule.zone: invalid zone 'Mars/Base'");
        assertThatThrownBy(() -> parse("entities:\n" + entity("a", "    audit: [nope]\n")))
                .hasMessageStartingWith("entities[0].audit[0]: unknown column 'nope'");
        assertThatThrownBy(() -> parse("entities:\n" + entity("a", "") + entity("a", "")))
                .hasMessageStartingWith("entities[1].name: duplicate entity name 'a'");
        assertThatThrownBy(() -> parse("entities: []"))
                .hasMessageStartingWith("entities: at least one entity is required");
    }

    @Test
    void readsHttpSourceWithEnvironmentToken() {
        PipelineDefinition d = parse("""
                entities:
                  - name: orders
                    table: orders
                    source:
                      type: http
                      url: http://erp.local/api/orders
                      token: ${TOKEN}
                      pagination: {type: cursor, next: next, size: 50}
                      rowversion: rv
                    fields: {id: integer, rv: integer}
                    keys: [id]
                    schedule: {window: "19:00-07:00", zone: Europe/Berlin, every: 1h, rows_per_window: 1000}
                """);
        SourceSpec.Http http = (SourceSpec.Http) d.entity("orders").source();
        assertThat(http.token()).isEqualTo("s3cret");
        assertThat(http.toString()).doesNotContain("s3cret");
        assertThat(http.pagination()).isInstanceOf(SourceSpec.Pagination.Cursor.class);
        assertThat(d.entity("orders").schedule().rowsPerWindow()).isEqualTo(1000);
    }
}
