package io.shuttlebridge.bridge.definition;

import io.shuttlebridge.bridge.internal.config.DefinitionParser;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A pipeline definition: the entities Bridge ingests. Loaded from YAML; a bad definition is rejected
 * at load with the exact path of the problem, for example
 * {@code entities[2].mappings[0].source: unknown field 'custmer_no'}.
 */
public record PipelineDefinition(List<EntityDefinition> entities) {

    public PipelineDefinition {
        entities = List.copyOf(entities);
    }

    /** Loads a YAML file; {@code ${NAME}} in values is replaced by the environment variable NAME. */
    public static PipelineDefinition load(Path file) {
        try {
            return parse(
                    Files.readString(file, StandardCharsets.UTF_8),
                    System.getenv(),
                    file.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, "cannot read pipeline definition " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses YAML text.
     *
     * @param env variables for {@code ${NAME}} substitution
     * @param baseDir directory relative CSV paths are resolved against
     */
    public static PipelineDefinition parse(String yaml, Map<String, String> env, Path baseDir) {
        return new DefinitionParser(env, baseDir).parse(yaml);
    }

    public EntityDefinition entity(String name) {
        return entities.stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new ShuttleException(
                        ErrorCode.NOT_FOUND,
                        "no entity '" + name + "' in the pipeline definition (entities: "
                                + entities.stream().map(EntityDefinition::name).collect(Collectors.joining(", "))
                                + ")"));
    }
}
