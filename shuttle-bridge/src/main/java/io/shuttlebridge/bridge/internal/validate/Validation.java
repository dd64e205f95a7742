package io.shuttlebridge.bridge.internal.validate;

/** The outcome of validating one record. */
public sealed interface Validation {
    Validation VALID = new Valid();

    record Valid() implements Validation {}

    /**
     * @param rule the rule that failed, as declared ({@code required(customer_no)})
     * @param path where the rule is declared in the definition
     * @param message what was wrong with the value
     */
    record Invalid(String rule, String path, String message) implements Validation {}
}
