package io.shuttlebridge.bridge.definition;

import java.math.BigDecimal;
import java.util.List;

/** A declarative validation rule over normalized source fields. {@link #describe()} names it in dead letters. */
public sealed interface RuleSpec {

    /** Where the rule was declared, for example {@code entities[0].rules[2]}. */
    String path();

    String describe();

    record Required(String path, String field) implements RuleSpec {
        public String describe() {
            return "required(" + field + ")";
        }
    }

    record TypeCheck(String path, String field, FieldType type) implements RuleSpec {
        public String describe() {
            return "type(" + field + " is " + type.yamlName() + ")";
        }
    }

    record Range(String path, String field, BigDecimal min, BigDecimal max) implements RuleSpec {
        public String describe() {
            return "range(" + field + (min == null ? "" : " >= " + min.toPlainString())
                    + (max == null ? "" : " <= " + max.toPlainString()) + ")";
        }
    }

    record Length(String path, String field, Integer min, Integer max) implements RuleSpec {
        public String describe() {
            return "length(" + field + (min == null ? "" : " >= " + min) + (max == null ? "" : " <= " + max) + ")";
        }
    }

    record Pattern(String path, String field, String regex) implements RuleSpec {
        public String describe() {
            return "pattern(" + field + " ~ " + regex + ")";
        }
    }

    record OneOf(String path, String field, List<String> values) implements RuleSpec {
        public OneOf {
            values = List.copyOf(values);
        }

        public String describe() {
            return "enum(" + field + " in " + values + ")";
        }
    }

    /** Cross-field comparison: {@code left op right}, for example {@code valid_from <= valid_to}. */
    record Compare(String path, String left, String op, String right) implements RuleSpec {
        public String describe() {
            return "compare(" + left + " " + op + " " + right + ")";
        }
    }
}
