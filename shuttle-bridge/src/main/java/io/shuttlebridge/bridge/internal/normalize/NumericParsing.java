package io.shuttlebridge.bridge.internal.normalize;

import io.shuttlebridge.bridge.definition.FieldSpec;
import io.shuttlebridge.bridge.definition.FieldType;
import io.shuttlebridge.bridge.internal.record.RecordRejection;
import io.shuttlebridge.bridge.internal.record.Stage;
import java.math.BigDecimal;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Layer 3: text to exact numbers and booleans. Decimals are parsed straight into {@link BigDecimal};
 * with a locale, its grouping and decimal separators are honoured ({@code 1.234,56} in de-DE) and
 * grouping must be well formed, so {@code 1.234.5} is refused rather than guessed.
 */
final class NumericParsing implements NormalizerLayer {
    private static final Pattern PLAIN = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d+)?");

    private final FieldType[] types;
    private final String[] names;
    private final Pattern[] localized;
    private final char[] grouping;
    private final char[] decimal;

    NumericParsing(List<FieldSpec> fields) {
        int n = fields.size();
        types = new FieldType[n];
        names = new String[n];
        localized = new Pattern[n];
        grouping = new char[n];
        decimal = new char[n];
        for (int i = 0; i < n; i++) {
            FieldSpec f = fields.get(i);
            types[i] = f.type();
            names[i] = f.name();
            if (f.locale() != null) {
                DecimalFormatSymbols symbols = DecimalFormatSymbols.getInstance(f.locale());
                grouping[i] = symbols.getGroupingSeparator();
                decimal[i] = symbols.getDecimalSeparator();
                String g = Character.isSpaceChar(grouping[i])
                        ? "[ \\u00A0\\u202F]"
                        : Pattern.quote(String.valueOf(grouping[i]));
                String d = Pattern.quote(String.valueOf(decimal[i]));
                localized[i] = Pattern.compile("[+-]?(\\d{1,3}(" + g + "\\d{3})+|\\d+)(" + d + "\\d+)?");
            }
        }
    }

    @Override
    public String name() {
        return "numeric-parsing";
    }

    @Override
    public Object apply(int field, Object value) {
        if (!(value instanceof String s)) {
            return value;
        }
        return switch (types[field]) {
            case DECIMAL -> decimal(field, s);
            case INTEGER -> integer(field, s);
            case BOOLEAN -> bool(field, s);
            default -> value;
        };
    }

    private BigDecimal decimal(int field, String s) {
        String text = s.strip();
        if (localized[field] != null) {
            if (!localized[field].matcher(text).matches()) {
                throw reject(field, s, "a number in " + describe(field));
            }
            StringBuilder plain = new StringBuilder(text.length());
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == decimal[field]) {
                    plain.append('.');
                } else if (Character.isDigit(c) || c == '-' || c == '+') {
                    plain.append(c);
                }
            }
            return new BigDecimal(plain.toString());
        }
        BigDecimal quick = plainDecimal(text);
        if (quick != null) {
            return quick;
        }
        if (!PLAIN.matcher(text).matches()) {
            throw reject(field, s, "a plain decimal number such as 1234.56");
        }
        return new BigDecimal(text);
    }

    /**
     * The common case without a regular expression: an optional sign, at most 18 digits and an optional
     * decimal point; the same value and scale as {@code new BigDecimal(text)}. Null for anything else.
     */
    static BigDecimal plainDecimal(String text) {
        int n = text.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+')) {
            negative = text.charAt(0) == '-';
            i = 1;
        }
        long unscaled = 0;
        int digits = 0;
        int scale = -1;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c >= '0' && c <= '9') {
                if (++digits > 18) {
                    return null;
                }
                unscaled = unscaled * 10 + (c - '0');
                if (scale >= 0) {
                    scale++;
                }
            } else if (c == '.' && scale < 0) {
                scale = 0;
            } else {
                return null;
            }
        }
        if (digits == 0) {
            return null;
        }
        return BigDecimal.valueOf(negative ? -unscaled : unscaled, Math.max(scale, 0));
    }

    /** An optional sign and at most 18 digits, else null. */
    private static Long plainInteger(String text) {
        int n = text.length();
        int i = n > 0 && (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
        if (n - i == 0 || n - i > 18) {
            return null;
        }
        long v = 0;
        for (int k = i; k < n; k++) {
            char c = text.charAt(k);
            if (c < '0' || c > '9') {
                return null;
            }
            v = v * 10 + (c - '0');
        }
        return text.charAt(0) == '-' ? -v : v;
    }

    private Long integer(int field, String s) {
        if (localized[field] == null) {
            Long quick = plainInteger(s.strip());
            if (quick != null) {
                return quick;
            }
        }
        BigDecimal d = decimal(field, s);
        try {
            return d.stripTrailingZeros().longValueExact();
        } catch (ArithmeticException e) {
            throw reject(field, s, "a whole number");
        }
    }

    private Boolean bool(int field, String s) {
        return switch (s.strip().toLowerCase(Locale.ROOT)) {
            case "true", "t", "yes", "y", "1" -> Boolean.TRUE;
            case "false", "f", "no", "n", "0" -> Boolean.FALSE;
            default -> throw reject(field, s, "true/false, yes/no or 1/0");
        };
    }

    private String describe(int field) {
        return "the declared locale (grouping '" + grouping[field] + "', decimal '" + decimal[field] + "')";
    }

    private RecordRejection reject(int field, String value, String expected) {
        return new RecordRejection(Stage.NORMALIZE, name(), names[field] + ": '" + value + "' is not " + expected);
    }
}
