package io.shuttlebridge.core.change;

/** What a change does to its row. */
public enum Op {
    UPSERT(1),
    DELETE(2);

    private final int code;

    Op(int code) {
        this.code = code;
    }

    /** The code stored in the feed. */
    public int code() {
        return code;
    }

    public static Op ofCode(int code) {
        return switch (code) {
            case 1 -> UPSERT;
            case 2 -> DELETE;
            default -> throw new IllegalArgumentException("unknown op code " + code);
        };
    }
}
