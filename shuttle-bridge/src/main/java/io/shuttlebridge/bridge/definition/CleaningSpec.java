package io.shuttlebridge.bridge.definition;

/**
 * String cleaning applied to every text value.
 *
 * @param trim strip leading and trailing white space
 * @param nfc Unicode normalization form C
 * @param stripControl remove control characters (tab, CR and LF are turned into spaces)
 * @param emptyToNull an empty string (after trimming) becomes null
 */
public record CleaningSpec(boolean trim, boolean nfc, boolean stripControl, boolean emptyToNull) {
    public static final CleaningSpec DEFAULT = new CleaningSpec(true, true, true, true);
}
