package io.shuttlebridge.bridge.internal.validate;

import io.shuttlebridge.bridge.definition.EntityDefinition;
import java.util.List;

/** The validate stage: the entity's rules in declaration order; the first that fails decides. */
public final class Validator {
    private final List<Rule> rules;

    public Validator(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public static Validator of(EntityDefinition entity) {
        return new Validator(
                entity.rules().stream().map(r -> Rules.compile(r, entity)).toList());
    }

    public Validation validate(Object[] normalized) {
        for (Rule rule : rules) {
            String problem = rule.check(normalized);
            if (problem != null) {
                return new Validation.Invalid(rule.describe(), rule.path(), problem);
            }
        }
        return Validation.VALID;
    }
}
