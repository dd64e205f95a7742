package io.shuttlebridge.core.internal.protocol;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.sync.Standing;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/** A device's {@link Standing} as the headers of a pull or push request, and back. */
public final class StandingHeaders {
    private StandingHeaders() {}

    /** The headers that show {@code s}. */
    public static Map<String, String> of(Standing s) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put(Protocol.TICKET_HEADER, Long.toString(s.ticket()));
        if (s.nonce() != null) {
            h.put(Protocol.TICKET_NONCE_HEADER, s.nonce());
        }
        if (s.restoredBackup() != null) {
            h.put(Protocol.RESTORED_BACKUP_HEADER, s.restoredBackup());
        }
        if (s.hubRestoreSeen()) {
            h.put(Protocol.HUB_RESTORED_HEADER, "1");
        }
        if (!s.resent().isEmpty()) {
            h.put(Protocol.RESENT_HEADER, ranges(s.resent()));
        }
        return h;
    }

    /** Positions in ascending order as ranges: {@code 0-3,7}. */
    static String ranges(Set<Integer> positions) {
        StringBuilder out = new StringBuilder();
        Integer start = null;
        Integer last = null;
        for (int p : new TreeSet<>(positions)) {
            if (last != null && p == last + 1) {
                last = p;
                continue;
            }
            if (start != null) {
                out.append(out.isEmpty() ? "" : ",").append(start.equals(last) ? start : start + "-" + last);
            }
            start = p;
            last = p;
        }
        if (start != null) {
            out.append(out.isEmpty() ? "" : ",").append(start.equals(last) ? start : start + "-" + last);
        }
        return out.toString();
    }

    /** The positions {@link #ranges} wrote; a clear error naming the header when it is not that form. */
    static Set<Integer> positions(String header) {
        Set<Integer> out = new TreeSet<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        try {
            for (String part : header.split(",")) {
                String r = part.strip();
                int dash = r.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? r : r.substring(0, dash).strip());
                int to =
                        dash < 0 ? from : Integer.parseInt(r.substring(dash + 1).strip());
                if (from < 0 || to < from || to - from > 1_000_000 || out.size() + (to - from) > 1_000_000) {
                    throw new NumberFormatException(r);
                }
                for (int i = from; i <= to; i++) {
                    out.add(i);
                }
            }
        } catch (NumberFormatException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    Protocol.RESENT_HEADER + " must list positions of the push's changes as ranges (0-3,7), got '"
                            + header + "'");
        }
        return out;
    }

    /** The standing a request shows, read through {@code header} (name to value, null when absent); null when it shows none. */
    public static Standing read(UnaryOperator<String> header) {
        String ticket = header.apply(Protocol.TICKET_HEADER);
        if (ticket == null || ticket.isBlank()) {
            return null;
        }
        long t;
        try {
            t = Long.parseLong(ticket.strip());
        } catch (NumberFormatException e) {
            t = -1;
        }
        if (t < 0) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    Protocol.TICKET_HEADER + " must be a non-negative integer (the last ticket the hub gave), got '"
                            + ticket + "'");
        }
        String nonce = id(header.apply(Protocol.TICKET_NONCE_HEADER), Protocol.TICKET_NONCE_HEADER);
        String backup = id(header.apply(Protocol.RESTORED_BACKUP_HEADER), Protocol.RESTORED_BACKUP_HEADER);
        return new Standing(
                t,
                nonce,
                backup,
                "1".equals(header.apply(Protocol.HUB_RESTORED_HEADER)),
                positions(header.apply(Protocol.RESENT_HEADER)));
    }

    /** An id the hub keeps in its records: at most 100 characters, no commas; null when absent. */
    private static String id(String value, String header) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (v.isEmpty() || v.length() > 100 || v.contains(",")) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT, header + " must be an id of at most 100 characters without commas");
        }
        return v;
    }
}
