package io.shuttlebridge.cli;

import java.util.ArrayList;
import java.util.List;

/** A claim's value as typed on the command line: a number, true/false, a [list], or else a string. */
final class ClaimValue {
    private ClaimValue() {}

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
