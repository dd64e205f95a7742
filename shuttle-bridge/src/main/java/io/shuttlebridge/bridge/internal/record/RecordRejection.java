package io.shuttlebridge.bridge.internal.record;

/**
 * A record that one stage refused: it goes to the dead-letter queue with the stage, the rule and the reason.
 * Carries no stack trace: it is an expected outcome, raised per record.
 */
public final class RecordRejection extends RuntimeException {
    private final Stage stage;
    private final String rule;

    public RecordRejection(Stage stage, String rule, String message) {
        this(stage, rule, message, null);
    }

    /** A rejection caused by a failure that is not the record's (reading it from the database, say). */
    public RecordRejection(Stage stage, String rule, String message, Throwable cause) {
        super(message, cause, false, false);
        this.stage = stage;
        this.rule = rule;
    }

    public Stage stage() {
        return stage;
    }

    public String rule() {
        return rule;
    }
}
