package io.shuttlebridge.bridge.definition;

import java.util.List;
import java.util.Map;

/** How one target column gets its value. Expression-free on purpose. */
public sealed interface MappingSpec {

    String target();

    /** Copies a source field, with an optional default when it is null. */
    record Rename(String target, String source, Object defaultValue) implements MappingSpec {}

    record Constant(String target, Object value) implements MappingSpec {}

    /** Joins the text of several fields (nulls skipped) with a separator. */
    record Concat(String target, List<String> sources, String separator, Object defaultValue) implements MappingSpec {
        public Concat {
            sources = List.copyOf(sources);
        }
    }

    /**
     * Translates a source value through a table. A value missing from the table takes the default
     * when one is declared, and is an error otherwise.
     */
    record Lookup(String target, String source, Map<String, Object> table, boolean hasDefault, Object defaultValue)
            implements MappingSpec {
        public Lookup {
            table = Map.copyOf(table);
        }
    }
}
