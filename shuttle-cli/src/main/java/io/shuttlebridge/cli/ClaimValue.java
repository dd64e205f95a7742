package io.shuttlebridge.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** A claim's value as typed on the command line: a number, true/false, a [list], or else a string. */
final class ClaimValue {
    private ClaimValue() {}

    /** {@code --claim k=v} options as claims, in the order given. */
    static Map<String, Object> claims(List<String> options, CommandSpec spec) {
        Map<String, Object> claims = new LinkedHashMap<>();
        for (String c : options) {
            int eq = c.indexOf('=');
            if (eq <= 0) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--claim takes k=v, got '" + c + "'");
            }
            claims.put(c.substring(0, eq).trim(), parse(c.substring(eq + 1).trim()));
        }
        return claims;
    }

    static Object parse(String v) {
        if (v.startsWith("[") && v.endsWith("]")) {
            List<Object> items = new ArrayList<>();
            String inner = v.substring(1, v.length() - 1).trim();
            if (!inner.isEmpty()) {
                for (String item : inner.split(",")) {
                    items.add(scalar(item.trim()));
                }
            }
            return items;
        }
        return scalar(v);
    }

    private static Object scalar(String v) {
        if (v.equals("true") || v.equals("false")) {
            return Boolean.parseBoolean(v);
        }
        if (v.matches("-?\\d{1,18}")) {
            return Long.parseLong(v);
        }
        return v;
    }
}
