package io.shuttlebridge.bridge.internal.record;

/** Row versions are kept as text; numeric ones compare as numbers, others (hex, timestamps) as text. */
public final class RowVersions {
    private RowVersions() {}

    public static int compare(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        if (isInteger(a) && isInteger(b)) {
            return a.length() != b.length() ? Integer.compare(a.length(), b.length()) : a.compareTo(b);
        }
        return a.compareTo(b);
    }

    public static String max(String a, String b) {
        return compare(a, b) >= 0 ? a : b;
    }

    public static boolean isInteger(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return s.length() == 1 || s.charAt(0) != '0';
    }
}
