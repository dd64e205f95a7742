package io.shuttlebridge.core.internal.dialect.postgres;

import java.util.List;

/**
 * What a feed notification says (channel {@link PostgresDialect#FEED_CHANNEL}): the schema whose feed
 * advanced and the feed's position after the notifying transaction, {@code schema:position}. A hub process
 * that hears it tells its streams the position without asking the database; seqs commit in order (the
 * fold's lock), so every entry up to it is visible. Hub processes of earlier releases sent the schema
 * alone; their notices are still understood ({@link #ASK}). Internal.
 */
public final class FeedNotice {
    /** {@link #latest}: nothing heard of this schema's feed. */
    public static final long NOTHING = -2;

    /** {@link #latest}: this schema's feed advanced, to a position the notice does not say: ask the database. */
    public static final long ASK = -1;

    private FeedNotice() {}

    /** The SQL expression of a notice, {@code position} an SQL expression of the feed's new position. */
    static String payload(String position) {
        return "current_schema() || ':' || " + position;
    }

    /** The latest position of {@code schema}'s feed that {@code payloads} tell, or {@link #NOTHING} or {@link #ASK}. */
    public static long latest(List<String> payloads, String schema) {
        long latest = NOTHING;
        for (String p : payloads) {
            if (p == null) {
                continue;
            }
            if (p.equals(schema)) {
                return ASK;
            }
            int colon = p.lastIndexOf(':');
            if (colon < 0 || !p.regionMatches(0, schema, 0, schema.length()) || colon != schema.length()) {
                continue; // another schema's feed
            }
            long position = digits(p, colon + 1);
            if (position < 0) {
                return ASK;
            }
            latest = Math.max(latest, position);
        }
        return latest;
    }

    private static long digits(String s, int from) {
        if (from >= s.length() || s.length() - from > 18) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
