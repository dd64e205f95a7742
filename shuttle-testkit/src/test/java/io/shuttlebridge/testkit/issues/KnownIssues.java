package io.shuttlebridge.testkit.issues;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.testkit.SimulationResult;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * Engine issues the randomized schedules find and that are not fixed yet, each pinned by a
 * disabled regression test. A schedule that fails on such an issue alone is reported as aborted
 * (skipped, with the reason), never as passed; any other finding still fails it. With
 * {@code -Dshuttle.knownIssues=fail} they fail like any other finding (to check a fix).
 */
public final class KnownIssues {
    private static final Set<ConflictPolicy> AUTHORITATIVE =
            Set.of(ConflictPolicy.VERSION_STRICT, ConflictPolicy.MANUAL, ConflictPolicy.CUSTOM);

    private KnownIssues() {}

    /**
     * {@link HeldChangeOfDeletedRowTest}: under VERSION_STRICT, MANUAL or CUSTOM a change received
     * for a row whose parent was deleted waits for good; the rows converge and every oracle holds.
     */
    public static void abortIfOnlyAChangeHeldForAGoneParent(SimulationResult r, String why) {
        boolean onlyThat = !"fail".equals(System.getProperty("shuttle.knownIssues"))
                && AUTHORITATIVE.contains(r.config().policy())
                && r.settleRounds() > 0
                && r.unexpectedErrors().isEmpty()
                && r.lostWrites().isEmpty()
                && !r.differences().isEmpty()
                && r.differences().stream()
                        .allMatch(d -> d.matches("\\S+: \\d+ received change\\(s\\) waiting for a parent row"));
        Assumptions.assumeFalse(
                onlyThat,
                () -> why + ": known issue HeldChangeOfDeletedRowTest (a change held for good for a deleted parent): "
                        + r.differences());
    }
}
