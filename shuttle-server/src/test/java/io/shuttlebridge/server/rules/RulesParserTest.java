package io.shuttlebridge.server.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.shuttlebridge.server.internal.rules.NamedParameters;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules file of DESIGN §9: what it means, and every mistake named with its line. */
class RulesParserTest {
    static final String DESIGN_EXAMPLE = """
            version: 1
            tables:
              project:
                read:  "id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
                write: "id IN (SELECT project_id FROM project_member WHERE user_id = :sub AND role = 'owner')"
              task:
                read:  "project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)"
                write: read                      # the same predicate as read
                hidden_columns: [internal_cost]  # never sent to devices, never accepted from them
              project_member:
                read:  "user_id = :sub"          # write defaults to none
              catalog:
                read:  all
            """;

    @Test
    void theDesignExampleReadsAsWritten() {
        SyncRules rules = SyncRules.parse(DESIGN_EXAMPLE, "rules.yaml");
        TableRule task = rules.table("task");
        assertThat(task.read()).isInstanceOf(Predicate.Sql.class);
        assertThat(((Predicate.Sql) task.read()).claims()).containsExactly("sub");
        assertThat(((Predicate.Sql) task.read()).line()).isEqualTo(7);
        assertThat(task.write()).isEqualTo(task.read());
        assertThat(task.hiddenColumns()).containsExactly("internal_cost");
        assertThat(rules.table("project_member").write()).isEqualTo(Predicate.NONE);
        assertThat(rules.table("catalog").read()).isEqualTo(Predicate.ALL);
        assertThat(rules.table("catalog").write()).isEqualTo(Predicate.NONE);
        assertThat(rules.table("not_listed").read()).isEqualTo(Predicate.NONE);
    }

    @Test
    void mistakesNameTheirLine() {
        assertThatThrownBy(() -> SyncRules.parse("version: 2\ntables: {}\n", "r.yaml"))
                .hasMessage("r.yaml:1: version: 1 is required (the only rules format so far)");
        assertThatThrownBy(() ->
                        SyncRules.parse("version: 1\ntables:\n  task:\n    read: all\n    wirte: all\n", "r.yaml"))
                .hasMessageContaining("r.yaml:5: unknown key 'wirte' in table 'task'");
        assertThatThrownBy(() ->
                        SyncRules.parse("version: 1\ntables:\n  task:\n    read: \"tenant = :tenant\"\n", "r.yaml"))
                .hasMessageContaining("r.yaml:4: unknown claim :tenant (declare it under claims:");
        assertThatThrownBy(() -> SyncRules.parse("version: 1\ntables:\n  task:\n    read: read\n", "r.yaml"))
                .hasMessageContaining("r.yaml:4: 'read' names the read rule");
        assertThatThrownBy(() -> SyncRules.parse("version: 1\ntables:\n  task:\n    read: [1, 2]\n", "r.yaml"))
                .hasMessageContaining("r.yaml:4: a rule is all, none, read");
        assertThatThrownBy(() -> SyncRules.parse("version: 1\ntables: [\n", "r.yaml"))
                .hasMessageContaining("r.yaml: not valid YAML");
        SyncRules declared = SyncRules.parse(
                "version: 1\nclaims: [tenant]\ntables:\n  task:\n    read: \"tenant = :tenant\"\n", "r.yaml");
        assertThat(declared.claims()).containsExactly("sub", "tenant");
    }

    @Test
    void claimsAreParametersNeverSQL() {
        NamedParameters p = NamedParameters.parse(
                "a = :sub AND b::text = ':not_a_claim' AND \"c:d\" = 1 AND e IN (:projects) -- :comment\n AND f = :sub");
        assertThat(p.names()).containsExactly("sub", "projects");
        NamedParameters.Bound b = p.bind(Map.of("sub", "x'; DROP TABLE task; --", "projects", List.of(1L, 2L, 3L)));
        assertThat(b.sql())
                .isEqualTo(
                        "a = ? AND b::text = ':not_a_claim' AND \"c:d\" = 1 AND e IN (?, ?, ?) -- :comment\n AND f = ?");
        assertThat(b.args()).containsExactly("x'; DROP TABLE task; --", 1L, 2L, 3L, "x'; DROP TABLE task; --");
        assertThat(p.bind(Map.of("sub", "a", "projects", List.of())).sql()).contains("e IN (NULL)");
    }
}
