package io.shuttlebridge.server.internal.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GrowingPredicateTest {
    @ParameterizedTest
    @ValueSource(
            strings = {
                "project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)",
                "id % 100 IN (SELECT slot FROM bench_member WHERE user_id = :sub)",
                "EXISTS (SELECT 1 FROM project_member m WHERE m.project_id = task.project_id AND m.user_id = :sub)",
                "tenant = :tenant AND (owner = :sub OR project_id IN (SELECT p.id FROM project p JOIN team_member t"
                        + " ON t.team_id = p.team_id WHERE t.user_id = :sub))",
                "clinic_id IN (:clinics)",
                "\"Project\" IN (SELECT \"Id\" FROM \"Members\" WHERE \"User\" = :sub) -- members only",
                "region = 'north' AND id IN (SELECT x FROM (SELECT task_id AS x FROM share) s)"
            })
    void predicatesThatOnlyGrowWithAddedRows(String sql) {
        assertThat(GrowingPredicate.test(sql)).as(sql).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "project_id NOT IN (SELECT project_id FROM blocked WHERE user_id = :sub)",
                "NOT EXISTS (SELECT 1 FROM blocked b WHERE b.task_id = id)",
                "(project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub)) = 0",
                "0 = (project_id IN (SELECT project_id FROM project_member WHERE user_id = :sub))",
                "project_id IN (SELECT project_id FROM m) IN (SELECT flag FROM f)",
                "(SELECT count(*) FROM project_member WHERE project_id = task.project_id) < 3",
                "id = (SELECT max(task_id) FROM latest)",
                "project_id IN (SELECT project_id FROM m EXCEPT SELECT project_id FROM banned)",
                "(SELECT role FROM m WHERE m.user_id = :sub) IS NULL",
                "coalesce((SELECT 1 FROM m WHERE m.p = project_id), 0) = 0",
                "CASE WHEN EXISTS (SELECT 1 FROM m WHERE m.p = project_id) THEN 0 ELSE 1 END = 1",
                "project_id <> ALL (SELECT project_id FROM banned)",
                "project_id != 3",
                "id IN (SELECT t.id FROM task t LEFT JOIN hidden h ON h.id = t.id WHERE h.id IS NULL)",
                "id IN (SELECT task_id FROM ranked ORDER BY score LIMIT 10)",
                "tags @> ARRAY(SELECT tag FROM allowed)",
                "EXISTS (SELECT 1 FROM m WHERE m.p = project_id) = FALSE",
                "project_id IN (SELECT project_id FROM m WHERE note = 'unclosed"
            })
    void predicatesAnAddedRowCouldTakeRowsOutOf(String sql) {
        assertThat(GrowingPredicate.test(sql)).as(sql).isFalse();
    }
}
