package io.shuttlebridge.server.internal.rules;

import io.shuttlebridge.server.rules.Predicate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A predicate as a SQL condition for a subject's claims, ready for a prepared statement. */
public final class RuleSql {
    /** Each predicate's text parsed once: a hub's rules are few, and every read of every device binds them. */
    private static final Map<String, NamedParameters> PARSED = new ConcurrentHashMap<>();

    private RuleSql() {}

    /** The condition and its arguments; {@code all} and {@code none} need none. */
    public static NamedParameters.Bound where(Predicate p, Map<String, Object> claims) {
        return switch (p) {
            case Predicate.All a -> new NamedParameters.Bound("1=1", List.of());
            case Predicate.None n -> new NamedParameters.Bound("1=0", List.of());
            case Predicate.Sql s -> {
                NamedParameters.Bound b =
                        PARSED.computeIfAbsent(s.text(), NamedParameters::parse).bind(claims);
                yield new NamedParameters.Bound("(" + b.sql() + ")", b.args());
            }
        };
    }

    /** A table name quoted for both SQLite and PostgreSQL. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }
}
