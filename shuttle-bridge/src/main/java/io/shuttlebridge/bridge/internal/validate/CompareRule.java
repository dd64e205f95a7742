package io.shuttlebridge.bridge.internal.validate;

import io.shuttlebridge.bridge.definition.RuleSpec;
import java.math.BigDecimal;

/** Cross-field comparison of two comparable values of the same kind; skipped when either is null. */
final class CompareRule implements Rule {
    private final RuleSpec.Compare spec;
    private final int left;
    private final int right;

    CompareRule(RuleSpec.Compare spec, int left, int right) {
        this.spec = spec;
        this.left = left;
        this.right = right;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public String check(Object[] record) {
        Object a = record[left];
        Object b = record[right];
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof Long l) {
            a = BigDecimal.valueOf(l);
        }
        if (b instanceof Long l) {
            b = BigDecimal.valueOf(l);
        }
        if (!(a instanceof Comparable) || a.getClass() != b.getClass()) {
            return "cannot compare '" + a + "' with '" + b + "'";
        }
        int c = ((Comparable) a).compareTo(b);
        boolean ok = switch (spec.op()) {
            case "<" -> c < 0;
            case "<=" -> c <= 0;
            case ">" -> c > 0;
            case ">=" -> c >= 0;
            case "==" -> c == 0;
            default -> c != 0;
        };
        return ok ? null : spec.left() + "=" + a + " is not " + spec.op() + " " + spec.right() + "=" + b;
    }

    @Override
    public String describe() {
        return spec.describe();
    }

    @Override
    public String path() {
        return spec.path();
    }
}
