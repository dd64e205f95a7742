package io.shuttlebridge.bridge.definition;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One entity to ingest: its source, fields, rules, mappings, keys and schedule.
 *
 * @param name the entity name used on the command line and in the API
 * @param table the target table
 * @param keys the target columns forming the business key
 * @param audit target columns written but left out of the data hash (for example a source change date)
 * @param batchSize records per committed chunk
 * @param maxAttempts attempts for a child whose parent is missing before it is dead-lettered
 * @param backoff first retry delay for such a child; doubled on each attempt
 */
public record EntityDefinition(
        String name,
        String table,
        SourceSpec source,
        List<FieldSpec> fields,
        CleaningSpec cleaning,
        List<RuleSpec> rules,
        List<MappingSpec> mappings,
        List<String> keys,
        List<String> audit,
        DeleteMode deletes,
        int batchSize,
        int maxAttempts,
        Duration backoff,
        ScheduleSpec schedule,
        SinkSpec sink) {

    public EntityDefinition {
        fields = List.copyOf(fields);
        rules = List.copyOf(rules);
        mappings = List.copyOf(mappings);
        keys = List.copyOf(keys);
        audit = List.copyOf(audit);
    }

    public Optional<ScheduleSpec> scheduleSpec() {
        return Optional.ofNullable(schedule);
    }

    public List<String> targetColumns() {
        return mappings.stream().map(MappingSpec::target).toList();
    }

    public int fieldIndex(String field) {
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().equals(field)) {
                return i;
            }
        }
        return -1;
    }

    /** Returns a copy with another source (used to point a definition at test or benchmark data). */
    public EntityDefinition withSource(SourceSpec newSource) {
        return new EntityDefinition(
                name,
                table,
                newSource,
                fields,
                cleaning,
                rules,
                mappings,
                keys,
                audit,
                deletes,
                batchSize,
                maxAttempts,
                backoff,
                schedule,
                sink);
    }

    public EntityDefinition withBatchSize(int size) {
        return new EntityDefinition(
                name,
                table,
                source,
                fields,
                cleaning,
                rules,
                mappings,
                keys,
                audit,
                deletes,
                size,
                maxAttempts,
                backoff,
                schedule,
                sink);
    }
}
