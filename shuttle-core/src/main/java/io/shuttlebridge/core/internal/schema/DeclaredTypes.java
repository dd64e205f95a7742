package io.shuttlebridge.core.internal.schema;

import java.util.concurrent.ConcurrentHashMap;

/** Declared column types without their modifiers, remembered: asked for every key and value an apply binds. */
public final class DeclaredTypes {
    private DeclaredTypes() {}

    /** Declared types seen so far and their base types (bounded: a schema has few). */
    private static final ConcurrentHashMap<String, String> BASE = new ConcurrentHashMap<>();

    /** The type without its modifier: {@code numeric(12,2)} is {@code numeric}, {@code timestamp(3) with time zone} is {@code timestamp with time zone}. */
    public static String base(String declared) {
        String known = BASE.get(declared);
        if (known == null) {
            known = declared.indexOf('(') < 0
                    ? declared.trim()
                    : declared.replaceAll("\\(\\d+(,\\d+)?\\)", "").trim();
            if (BASE.size() < 10_000) {
                BASE.put(declared, known);
            }
        }
        return known;
    }
}
