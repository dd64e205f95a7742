package io.shuttlebridge.testkit;

import io.shuttlebridge.core.ConflictPolicy;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RestoreSchedules} in every build, each printed with its seed: 10 of 40 writes (seeds 7000 on) and 24
 * of 60 writes (seeds 8000 on) with every fault, restores, copies and hub restores among them, and the
 * schedules that once failed, with the faults they failed under. {@code RestoreConvergenceIT} runs a hundred
 * of 60 writes on request. Replay one with {@code -Dshuttle.seed=N}, more with {@code
 * -Dshuttle.restoreSchedules=N}.
 */
class RestoreConvergenceTest {
    private static final Set<Fault> EVERY_FAULT = EnumSet.allOf(Fault.class);
    private static final Set<Fault> NO_HUB_RESTORE = EnumSet.complementOf(EnumSet.of(Fault.HUB_RESTORE));

    static Stream<Arguments> shortSchedules() {
        return RestoreSchedules.schedules(7000, 10);
    }

    static Stream<Arguments> schedules() {
        return RestoreSchedules.schedules(8000, 24);
    }

    /** Schedules of 60 writes that failed once, the faults they ran with, and what was wrong. */
    static Stream<Arguments> formerFailures() {
        return Stream.of(
                Arguments.of(8025L, EVERY_FAULT, "a resync removed a row its snapshot served before the row's parent"),
                Arguments.of(8028L, EVERY_FAULT, "a resync removed a row its snapshot served before the row's parent"),
                Arguments.of(8033L, EVERY_FAULT, "a restored backup pulled from a cursor of a hub history lost"),
                Arguments.of(8094L, EVERY_FAULT, "a change held from a hub history lost was written after a resync"),
                Arguments.of(8233L, EVERY_FAULT, "a hub restored again during a device's recovery lost its pushes"),
                Arguments.of(
                        8050L, EVERY_FAULT, "oracle: a lost delete taken for held, a write a restore brought back"),
                Arguments.of(8051L, NO_HUB_RESTORE, "oracle: a write a restore took back came back with another"),
                Arguments.of(8073L, NO_HUB_RESTORE, "a restored backup pulled from a cursor of a hub history lost"),
                Arguments.of(8091L, NO_HUB_RESTORE, "FIELD_LWW: a held write dropped for a merge's newer row stamp"),
                Arguments.of(8109L, EVERY_FAULT, "an order lost by hub and writer, kept by a reset copy for its line"),
                Arguments.of(8111L, EVERY_FAULT, "an order lost by hub and writer, its line held on the hub for it"),
                Arguments.of(8177L, EVERY_FAULT, "a customer lost by hub and writer, kept on two devices for children"),
                Arguments.of(
                        8184L, EVERY_FAULT, "a chain of customers lost by the hub, kept on one device, held there"),
                Arguments.of(8251L, EVERY_FAULT, "an order lost by hub and writer, kept by a device for its line"),
                Arguments.of(8353L, EVERY_FAULT, "a copy reset before any sync finished kept a cursor of a lost hub"),
                Arguments.of(8364L, EVERY_FAULT, "a held update dropped for a lost deletion's version, other stamp"));
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("shortSchedules")
    void replicasConvergeThroughRestoresAndCopies(long seed, ConflictPolicy policy) {
        RestoreSchedules.run(seed, policy, 40);
    }

    @ParameterizedTest(name = "seed {0} {1}")
    @MethodSource("schedules")
    void longerSchedulesConvergeThroughRestoresAndCopies(long seed, ConflictPolicy policy) {
        RestoreSchedules.run(seed, policy, 60);
    }

    @ParameterizedTest(name = "seed {0}: {2}")
    @MethodSource("formerFailures")
    void schedulesThatOnceFailedConverge(long seed, Set<Fault> faults, String found) {
        RestoreSchedules.run(seed, RestoreSchedules.policyOf(seed), 60, faults);
    }
}
