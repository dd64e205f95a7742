package io.shuttlebridge.bridge.internal.validate;

/** One compiled validation rule over a normalized record (values aligned with the declared fields). */
public interface Rule {

    /** Returns null when the record passes, or what is wrong with it. */
    String check(Object[] record);

    String describe();

    String path();
}
