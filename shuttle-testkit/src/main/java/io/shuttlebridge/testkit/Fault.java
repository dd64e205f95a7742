package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** Faults a simulation injects into syncs. */
public enum Fault {
    /** A pushed batch is delivered twice. */
    DUP("dup"),
    /** The receiver committed but the sender never heard (push acknowledgement or pull response lost). */
    LOST_ACK("lost-ack"),
    /** An exception in the middle of an apply, on the hub or a device: the batch rolls back. */
    CRASH("crash"),
    /** Replicas sync partially: small random pages, some syncs only pull or only push. */
    REORDER("reorder"),
    /**
     * A device is restored from an older backup of its own ({@code shuttle backup}, taken earlier in the
     * run): what it did after the backup is gone from it, and it gets back from the hub what it had pushed.
     */
    RESTORE("restore"),
    /**
     * A device's file is copied to a second machine, which syncs too: the hub refuses one of the two as a
     * copy, and that one takes a new identity ({@code shuttle node reset}), keeping its unpushed writes.
     */
    COPY("copy"),
    /**
     * The hub is restored from an older backup of its own (a SQLite hub only): devices notice, push their
     * writes again and take its snapshot.
     */
    HUB_RESTORE("hub-restore");

    private final String label;

    Fault(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Parses a comma list such as {@code dup,lost-ack}; {@code none} (or nothing) is the empty set. */
    public static Set<Fault> parseList(String text) {
        EnumSet<Fault> out = EnumSet.noneOf(Fault.class);
        for (String part : text.split(",")) {
            String p = part.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty() || p.equals("none")) {
                continue;
            }
            out.add(Arrays.stream(values())
                    .filter(f -> f.label.equals(p) || f.name().equalsIgnoreCase(p))
                    .findFirst()
                    .orElseThrow(() -> new ShuttleException(
                            ErrorCode.INVALID_ARGUMENT,
                            "unknown fault '" + part.trim() + "': expected a comma list of "
                                    + labels(EnumSet.allOf(Fault.class)) + ", or none")));
        }
        return out;
    }

    public static String labels(Set<Fault> faults) {
        return faults.isEmpty()
                ? "none"
                : faults.stream().sorted().map(Fault::label).collect(Collectors.joining(","));
    }
}
