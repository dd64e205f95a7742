package io.shuttlebridge.core.internal.sync.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import io.shuttlebridge.core.sync.ConflictResolver;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The conflict rules without a database: each row gives what this replica holds for row 1 of a table
 * {@code t (id, a, b)}, the incoming change and the facts the database (or the resolver) would answer,
 * and expects the verdict and the facts the rules asked for, in order.
 *
 * <p>Notation: stamps are {@code hlc@node}, {@code L} being this replica; {@code v3/2} is version 3
 * made on base 2. {@code row} is a live entry whose row holds {@code a=a1, b=b1}; {@code gone} is a
 * tombstone. An incoming upsert carries {@code a=a2, b=b2}, or only the columns in braces. Facts:
 * {@code parent missing}, {@code held STAMP} (the change already waiting for the row), {@code stamps
 * col=STAMP ...} (FIELD_LWW column stamps of the row), {@code resolver keep|take|merge|manual}.
 */
class VerdictTest {
    private static final String LOCAL_NODE = "L";
    private static final Map<String, Object> LOCAL_VALUES = values("a1", "b1");

    private final ApplyRules rules = new ApplyRules(LOCAL_NODE);

    @ParameterizedTest(name = "{0} {1} {2}: {3} <- {4} [{5}] => {6}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # policy       | role   | arrival  | local          | incoming             | facts                     | verdict                               | asked
            # duplicates: the same write again, whatever the policy
            LWW            | HUB    | fresh    | row 10@A v2/1  | upsert 10@A v2/1     | -                         | duplicate                             | -
            VERSION_STRICT | DEVICE | fresh    | row 10@A v2/1  | delete 10@A v2/1     | -                         | duplicate                             | -
            FIELD_LWW      | HUB    | released | gone 10@A v2/1 | upsert 10@A v2/1     | -                         | duplicate                             | -
            CUSTOM         | HUB    | fresh    | row 10@A v2/1  | upsert 10@A v2/1     | resolver take             | duplicate                             | -
            # LWW: the higher stamp wins the whole row, before any parent is looked for
            LWW            | HUB    | fresh    | -              | upsert 12@B v1/0     | -                         | take                                  | parents
            LWW            | HUB    | fresh    | row 10@A v2/1  | upsert 12@B v3/2     | -                         | take                                  | parents
            LWW            | DEVICE | fresh    | row 12@A v2/1  | upsert 12@B v3/2     | -                         | take                                  | parents
            LWW            | HUB    | fresh    | row 15@A v2/1  | upsert 12@B v3/2     | -                         | superseded, rejected                  | -
            LWW            | DEVICE | fresh    | row 15@A v2/1  | delete 12@B v3/2     | -                         | superseded, rejected                  | -
            LWW            | HUB    | released | row 15@A v2/1  | upsert 12@B v3/2     | -                         | stale                                 | -
            LWW            | HUB    | released | row 10@A v2/1  | upsert 12@B v3/2     | -                         | take                                  | parents
            LWW            | HUB    | fresh    | row 10@A v2/1  | delete 12@B v3/2     | -                         | take                                  | -
            LWW            | HUB    | fresh    | gone 10@A v2/1 | upsert 12@B v3/2     | -                         | take                                  | parents
            LWW            | HUB    | fresh    | gone 15@A v2/1 | upsert 12@B v3/2     | -                         | superseded, rejected                  | -
            LWW            | HUB    | fresh    | gone 10@A v2/1 | delete 12@B v3/2     | -                         | take                                  | -
            LWW            | HUB    | fresh    | -              | upsert 12@B v1/0     | parent missing            | hold                                  | parents, held
            LWW            | DEVICE | fresh    | -              | upsert 12@B v1/0     | parent missing, held 11@A | hold                                  | parents, held
            LWW            | HUB    | fresh    | -              | upsert 12@B v1/0     | parent missing, held 15@A | superseded, rejected                  | parents, held
            # FIELD_LWW: per column, the higher stamp wins; the row's column stamps are read only over a live row
            FIELD_LWW      | HUB    | fresh    | -              | upsert 12@B v1/0     | -                         | take stamped                          | parents
            FIELD_LWW      | HUB    | fresh    | gone 10@A v2/1 | upsert 12@B v3/2     | -                         | take stamped                          | parents
            FIELD_LWW      | HUB    | fresh    | gone 15@A v2/1 | upsert 12@B v3/2     | -                         | superseded                            | parents
            FIELD_LWW      | HUB    | fresh    | gone 10@A v2/1 | delete 12@B v3/2     | -                         | take stamped                          | -
            FIELD_LWW      | HUB    | fresh    | row 10@A v2/1  | upsert 12@B v3/2     | -                         | take merged v3/3 {a=a2, b=b2}         | parents, columns, values
            FIELD_LWW      | DEVICE | fresh    | row 10@A v2/1  | upsert 12@B v3/2 {a} | -                         | take merged v3/3 {a=a2, b=b1}         | parents, columns, values
            FIELD_LWW      | HUB    | fresh    | row 20@A v2/1  | upsert 12@B v3/2     | stamps a=5@A b=20@A       | merge back v4/3 {a=a2, b=b1}          | parents, columns, values
            FIELD_LWW      | HUB    | fresh    | row 20@A v2/1  | upsert 12@B v3/2     | stamps a=20@A b=20@A      | superseded                            | parents, columns, values
            FIELD_LWW      | HUB    | fresh    | row 10@A v2/1  | delete 12@B v3/2     | stamps a=11@A             | take                                  | columns
            FIELD_LWW      | HUB    | fresh    | row 10@A v2/1  | delete 12@B v3/2     | stamps b=13@A             | superseded                            | columns
            FIELD_LWW      | HUB    | released | row 15@A v2/1  | upsert 12@B v3/2     | -                         | stale                                 | -
            # a row stamp newer than a held change's may be a merge's, its columns older: they decide
            FIELD_LWW      | HUB    | released | row 15@A v2/1  | upsert 12@B v3/2     | stamps a=5@A b=5@A        | take merged v3/3 {a=a2, b=b2}         | parents, columns, values
            FIELD_LWW      | HUB    | released | row 15@A v2/1  | upsert 12@B v3/2     | stamps a=5@A b=20@A       | merge back v4/3 {a=a2, b=b1}          | parents, columns, values
            FIELD_LWW      | HUB    | released | row 15@A v2/1  | upsert 12@B v3/2     | stamps a=13@A b=20@A      | stale                                 | -
            # VERSION_STRICT and MANUAL: a write on a stale base is a conflict; the hub's row stands, a device adopts its hub's
            VERSION_STRICT | HUB    | fresh    | row 10@A v2/1  | upsert 12@B v3/2     | -                         | take                                  | parents
            VERSION_STRICT | HUB    | fresh    | row 15@A v2/1  | upsert 12@B v3/2     | -                         | take                                  | parents
            VERSION_STRICT | HUB    | fresh    | row 10@A v2/1  | upsert 12@B v2/1     | -                         | conflict {a=a1, b=b1}, resend         | parents, values
            MANUAL         | HUB    | fresh    | row 10@A v2/1  | upsert 12@B v2/1     | -                         | conflict {a=a1, b=b1}, resend         | parents, values
            VERSION_STRICT | DEVICE | fresh    | row 10@A v2/1  | upsert 12@B v2/1     | -                         | conflict {a=a1, b=b1}, adopt          | parents, values
            MANUAL         | DEVICE | fresh    | row 10@A v2/1  | upsert 12@B v2/1     | -                         | conflict {a=a1, b=b1}, adopt          | parents, values
            VERSION_STRICT | HUB    | fresh    | row 10@A v2/1  | upsert 12@A v2/1     | -                         | take                                  | parents
            MANUAL         | HUB    | fresh    | row 10@A v2/1  | delete 12@B v2/1     | -                         | conflict {a=a1, b=b1}, resend         | values
            VERSION_STRICT | HUB    | fresh    | gone 10@A v2/1 | delete 12@B v2/1     | -                         | take                                  | -
            # a delete of a deleted row agrees with it; the row keeps the later version of the two
            VERSION_STRICT | HUB    | fresh    | gone 15@A v4/3 | delete 12@B v2/1     | -                         | superseded                            | -
            MANUAL         | DEVICE | fresh    | gone 15@A v4/3 | delete 12@B v2/1     | -                         | superseded                            | -
            CUSTOM         | HUB    | fresh    | gone 15@A v2/1 | delete 12@B v3/1     | -                         | take                                  | -
            VERSION_STRICT | HUB    | fresh    | gone 10@A v2/1 | upsert 12@B v2/1     | -                         | conflict deleted, resend              | parents
            MANUAL         | DEVICE | fresh    | -              | upsert 12@B v1/0     | -                         | take                                  | parents
            MANUAL         | HUB    | fresh    | -              | upsert 12@B v1/0     | parent missing            | hold                                  | parents
            # a device's own write the hub has not acknowledged is concurrent with what the hub sends
            VERSION_STRICT | DEVICE | fresh    | row 10@L v3/2  | upsert 12@B v4/3     | -                         | conflict {a=a1, b=b1}, adopt          | parents, values
            VERSION_STRICT | HUB    | fresh    | row 10@L v3/2  | upsert 12@B v4/3     | -                         | take                                  | parents
            VERSION_STRICT | DEVICE | fresh    | row 10@L v3/3  | upsert 12@B v4/3     | -                         | take                                  | parents
            # released from the pending queue: dropped when the row moved past it while it waited
            VERSION_STRICT | DEVICE | released | row 10@A v3/2  | upsert 12@B v2/1     | -                         | stale                                 | -
            # the version of the row's entry under another stamp: another write of that version (the hub's history
            # between them lost to a restore), which the policy decides as it would the change fresh from the hub
            VERSION_STRICT | DEVICE | released | row 10@A v3/2  | upsert 12@B v3/2     | -                         | conflict {a=a1, b=b1}, adopt          | parents, values
            VERSION_STRICT | DEVICE | released | row 10@L v4/2  | upsert 9@B v3/2      | -                         | conflict {a=a1, b=b1}, adopt          | parents, values
            VERSION_STRICT | HUB    | released | row 15@A v3/2  | upsert 12@A v2/1     | -                         | stale                                 | -
            VERSION_STRICT | HUB    | released | row 15@A v3/2  | upsert 12@B v2/1     | -                         | conflict {a=a1, b=b1}, resend         | parents, values
            # CUSTOM: the resolver decides concurrent writes, on either side
            CUSTOM         | HUB    | fresh    | row 10@A v3/2  | upsert 12@B v4/3     | -                         | take                                  | parents
            CUSTOM         | HUB    | fresh    | row 10@A v3/2  | upsert 12@B v2/1     | resolver take             | take                                  | parents, values, resolver
            CUSTOM         | DEVICE | fresh    | row 10@A v3/2  | upsert 12@B v2/1     | resolver take             | take                                  | parents, values, resolver
            CUSTOM         | HUB    | fresh    | row 10@A v3/2  | upsert 12@B v2/1     | resolver keep             | keep local {a=a1, b=b1}, resend       | parents, values, resolver
            CUSTOM         | DEVICE | fresh    | row 10@A v3/2  | upsert 12@B v2/1     | resolver keep             | keep local {a=a1, b=b1}, rewrite v4/2 | parents, values, resolver
            CUSTOM         | HUB    | fresh    | row 10@A v3/2  | upsert 12@B v2/1     | resolver merge            | merged v4/3 {a=m, b=m}                | parents, values, resolver
            CUSTOM         | DEVICE | fresh    | row 10@A v3/2  | upsert 12@B v2/1     | resolver merge            | merged v4/2 {a=m, b=m}                | parents, values, resolver
            CUSTOM         | HUB    | fresh    | row 10@A v3/2  | upsert 12@B v2/1     | resolver manual           | conflict {a=a1, b=b1}, resend         | parents, values, resolver
            CUSTOM         | DEVICE | fresh    | row 10@A v3/2  | upsert 12@B v2/1     | resolver manual           | conflict {a=a1, b=b1}, adopt          | parents, values, resolver
            CUSTOM         | HUB    | fresh    | gone 10@A v3/2 | upsert 12@B v2/1     | resolver keep             | keep local deleted, resend            | parents, resolver
            CUSTOM         | DEVICE | fresh    | gone 10@A v3/2 | upsert 12@B v2/1     | resolver keep             | keep local deleted, rewrite v4/2      | parents, resolver
            CUSTOM         | HUB    | fresh    | row 10@A v3/2  | delete 12@B v2/1     | resolver merge            | merged v4/3 {a=m, b=m}                | values, resolver
            # a copy of a write the hub lost with a restore, resent by a device that kept it: the original write where
            # the hub holds nothing of the row, a duplicate of that write, else the hub's entry stands and is sent
            # again, under every policy never a rejection or a conflict
            VERSION_STRICT | HUB    | resent   | -              | upsert 12@B v3/2     | -                         | take                                  | parents
            FIELD_LWW      | HUB    | resent   | -              | upsert 12@B v3/2     | -                         | take stamped                          | parents
            MANUAL         | HUB    | resent   | -              | upsert 12@B v1/0     | parent missing            | hold                                  | parents
            LWW            | HUB    | resent   | -              | upsert 12@B v1/0     | parent missing            | hold                                  | parents, held
            MANUAL         | HUB    | resent   | row 12@B v3/2  | upsert 12@B v3/2     | -                         | duplicate                             | -
            VERSION_STRICT | HUB    | resent   | gone 15@A v4/3 | upsert 12@B v3/2     | -                         | superseded, resent                    | -
            MANUAL         | HUB    | resent   | row 10@A v2/1  | upsert 12@B v2/1     | -                         | superseded, resent                    | -
            LWW            | HUB    | resent   | gone 15@A v2/1 | upsert 12@B v3/2     | -                         | superseded, resent                    | -
            LWW            | HUB    | resent   | row 10@A v2/1  | upsert 12@B v3/2     | -                         | superseded, resent                    | -
            FIELD_LWW      | HUB    | resent   | row 20@A v2/1  | upsert 12@B v3/2     | -                         | superseded, resent                    | -
            CUSTOM         | HUB    | resent   | row 10@A v3/2  | upsert 12@B v2/1     | -                         | superseded, resent                    | -
            """)
    void verdict(
            ConflictPolicy policy,
            Role role,
            String arrival,
            String local,
            String incoming,
            String facts,
            String verdict,
            String asked) {
        SyncedTable t = table(policy);
        LocalRow l = entry(local);
        Change r = change(incoming);
        Facts f = Facts.parse(facts);
        List<String> questions = new ArrayList<>();
        String decided = arrival.equals("released") && rules.staleWhileHeld(t, role, l, r, f.stamps())
                ? "stale"
                : describe(decide(t, role, Arrival.valueOf(arrival.toUpperCase()), l, r, f, questions));
        assertThat(decided).isEqualTo(verdict);
        assertThat(String.join(", ", questions)).isEqualTo(asked == null ? "" : asked);
    }

    /**
     * Releasing held rows that refer to each other (a cycle) relies on the verdict applying gives: a row
     * this replica does not hold, once its parents are there, is taken as it arrived or not.
     */
    @ParameterizedTest(name = "{0} {1}: {2} <- {3} [{4}] => {5}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # policy       | role   | local          | incoming         | facts           | taken as it is
            LWW            | HUB    | -              | upsert 12@B v1/0 | -               | true
            LWW            | HUB    | gone 10@A v2/1 | upsert 12@B v3/2 | -               | true
            LWW            | HUB    | gone 15@A v2/1 | upsert 12@B v3/2 | -               | false
            LWW            | HUB    | gone 12@B v3/2 | upsert 12@B v3/2 | -               | false
            FIELD_LWW      | DEVICE | gone 10@A v2/1 | upsert 12@B v3/2 | -               | true
            VERSION_STRICT | HUB    | gone 10@A v2/1 | upsert 12@B v2/1 | -               | false
            VERSION_STRICT | DEVICE | gone 10@A v2/1 | upsert 12@B v2/1 | -               | true
            MANUAL         | HUB    | gone 10@A v2/1 | upsert 12@B v3/2 | -               | true
            CUSTOM         | HUB    | gone 10@A v3/2 | upsert 12@B v2/1 | resolver take   | true
            CUSTOM         | HUB    | gone 10@A v3/2 | upsert 12@B v2/1 | resolver keep   | false
            CUSTOM         | DEVICE | gone 10@A v3/2 | upsert 12@B v2/1 | resolver merge  | false
            CUSTOM         | HUB    | gone 10@A v3/2 | upsert 12@B v2/1 | resolver manual | false
            CUSTOM         | DEVICE | gone 10@A v3/2 | upsert 12@B v2/1 | resolver manual | true
            """)
    void takenAsItIsOnceItsParentsArrive(
            ConflictPolicy policy, Role role, String local, String incoming, String facts, boolean taken) {
        SyncedTable t = table(policy);
        LocalRow l = entry(local);
        Change r = change(incoming);
        Verdict.Act act =
                answer(rules.onceParentsArrive(t, role, l, r), t, role, l, r, Facts.parse(facts), new ArrayList<>());
        assertThat(act.takesAsItIs()).isEqualTo(taken);
    }

    /**
     * A held upsert whose parents are still missing once nothing more can be released: under LWW and
     * FIELD_LWW it waits; where the hub decides, a decision that writes nothing of it is made now, and one
     * that would write it waits on a device, while the hub refuses it when a missing parent was deleted
     * here no earlier than it was written. Fact: {@code deleted STAMP}, the newest tombstone among its
     * missing parents.
     */
    @ParameterizedTest(name = "{0} {1}: {2} <- {3} [{4}] => {5}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # policy       | role   | local          | incoming         | facts                       | verdict                               | asked
            # LWW and FIELD_LWW: it waits (the parent's upsert releases it, the cascade of its delete supersedes it)
            LWW            | HUB    | -              | upsert 12@B v1/0 | deleted 15@A                | hold                                  | -
            FIELD_LWW      | DEVICE | gone 10@A v2/1 | upsert 12@B v3/2 | deleted 15@A                | hold                                  | -
            # the hub: a parent deleted no earlier than the change was written stays deleted, and the change is refused
            MANUAL         | HUB    | -              | upsert 12@B v1/0 | deleted 15@A                | conflict, delete v2/1                 | deleted parent
            VERSION_STRICT | HUB    | -              | upsert 12@B v1/0 | deleted 12@A                | conflict, delete v2/1                 | deleted parent
            CUSTOM         | HUB    | -              | upsert 12@B v3/2 | deleted 15@A                | conflict, delete v4/3                 | deleted parent
            VERSION_STRICT | HUB    | row 10@A v2/1  | upsert 12@B v3/2 | deleted 15@A                | conflict {a=a1, b=b1}, resend         | deleted parent, values
            MANUAL         | HUB    | gone 10@A v2/1 | upsert 12@B v3/2 | deleted 15@A                | conflict deleted, resend              | deleted parent
            # the hub: a parent deleted before the change was written may be made again by its writer; none deleted may arrive
            VERSION_STRICT | HUB    | -              | upsert 12@B v1/0 | deleted 10@A                | hold                                  | deleted parent
            MANUAL         | HUB    | row 10@A v2/1  | upsert 12@B v3/2 | -                           | hold                                  | deleted parent
            # where the hub decides, a decision that writes nothing of the change does not wait for its parents
            VERSION_STRICT | HUB    | row 10@A v2/1  | upsert 12@B v2/1 | -                           | conflict {a=a1, b=b1}, resend         | values
            MANUAL         | HUB    | gone 14@A v2/1 | upsert 12@B v2/1 | -                           | conflict deleted, resend              | -
            VERSION_STRICT | HUB    | row 10@A v2/1  | upsert 10@A v2/1 | -                           | duplicate                             | -
            CUSTOM         | HUB    | gone 14@A v2/1 | upsert 12@B v2/1 | resolver keep               | keep local deleted, resend            | resolver
            CUSTOM         | HUB    | row 10@A v3/2  | upsert 12@B v2/1 | resolver manual             | conflict {a=a1, b=b1}, resend         | values, resolver
            CUSTOM         | DEVICE | row 10@A v3/2  | upsert 12@B v2/1 | resolver keep               | keep local {a=a1, b=b1}, rewrite v4/2 | values, resolver
            # a resolver's choice that writes the change (or a merge) waits for its parents unless one was deleted after it
            CUSTOM         | HUB    | row 10@A v3/2  | upsert 12@B v2/1 | resolver take, deleted 15@A | conflict {a=a1, b=b1}, resend         | values, resolver, deleted parent, values
            CUSTOM         | HUB    | row 10@A v3/2  | upsert 12@B v2/1 | resolver take, deleted 10@A | hold                                  | values, resolver, deleted parent
            CUSTOM         | HUB    | row 10@A v3/2  | upsert 12@B v2/1 | resolver merge              | hold                                  | values, resolver, deleted parent
            # a device adopts what its hub decides: what would write the change waits for the hub's later row or the parent
            VERSION_STRICT | DEVICE | -              | upsert 12@B v1/0 | deleted 15@A                | hold                                  | -
            MANUAL         | DEVICE | gone 10@L v2/1 | upsert 12@B v2/1 | deleted 15@A                | hold                                  | -
            CUSTOM         | DEVICE | row 10@A v3/2  | upsert 12@B v2/1 | resolver take, deleted 15@A | hold                                  | values, resolver
            """)
    void whileParentsMissing(
            ConflictPolicy policy,
            Role role,
            String local,
            String incoming,
            String facts,
            String verdict,
            String asked) {
        SyncedTable t = table(policy);
        LocalRow l = entry(local);
        Change r = change(incoming);
        Facts f = Facts.parse(facts);
        List<String> questions = new ArrayList<>();
        Verdict.Act once = answer(rules.whileParentsMissing(t, role, l, r), t, role, l, r, f, questions);
        Verdict.Act act = answer(rules.withoutParents(role, once), t, role, l, r, f, questions);
        assertThat(describe(act)).isEqualTo(verdict);
        assertThat(String.join(", ", questions)).isEqualTo(asked == null ? "" : asked);
    }

    /**
     * A change the hub re-stamped to its clock goes through the same stages; found older than the row
     * the hub holds (it was pushed before, and the row was written since), the row is sent again, since
     * its writer compared it with the far later stamp it still held. Any other verdict stands.
     */
    @ParameterizedTest(name = "{0}: {1} <- {2} re-stamped [{3}] => {4}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            # policy  | local          | incoming         | facts                     | verdict
            LWW       | row 15@A v2/1  | upsert 12@B v3/2 | -                         | superseded, rejected, resent
            LWW       | gone 15@A v2/1 | delete 12@B v3/2 | -                         | superseded, rejected, resent
            LWW       | row 12@B v3/2  | upsert 12@B v3/2 | -                         | duplicate
            LWW       | row 10@A v2/1  | upsert 12@B v3/2 | -                         | take
            LWW       | -              | upsert 12@B v1/0 | parent missing, held 15@A | superseded, rejected
            FIELD_LWW | row 20@A v2/1  | upsert 12@B v3/2 | stamps a=20@A b=20@A      | superseded, resent
            MANUAL    | row 10@A v2/1  | upsert 12@B v2/1 | -                         | conflict {a=a1, b=b1}, resend
            """)
    void afterARestamp(ConflictPolicy policy, String local, String incoming, String facts, String verdict) {
        SyncedTable t = table(policy);
        LocalRow l = entry(local);
        Change r = change(incoming);
        Verdict.Act act = decide(t, Role.HUB, Arrival.FRESH, l, r, Facts.parse(facts), new ArrayList<>());
        assertThat(describe(rules.afterRestamp(l, act))).isEqualTo(verdict);
    }

    /** The stages in the order the apply runs them, each question answered from the row's facts. */
    private Verdict.Act decide(
            SyncedTable t, Role role, Arrival arrival, LocalRow l, Change r, Facts f, List<String> asked) {
        return answer(rules.onEntry(t, role, l, r, arrival), t, role, l, r, f, asked);
    }

    private Verdict.Act answer(Verdict v, SyncedTable t, Role role, LocalRow l, Change r, Facts f, List<String> asked) {
        while (v instanceof Verdict.Ask ask) {
            v = switch (ask) {
                case Verdict.CheckParents x -> {
                    asked.add("parents");
                    yield f.parentMissing()
                            ? rules.onMissingParent(t, "parent p[id] = [7] has not arrived")
                            : rules.decide(t, role, l, r);
                }
                case Verdict.CheckHeld h -> {
                    asked.add("held");
                    yield rules.onHeld(r, f.held(), h.reason());
                }
                case Verdict.ReadColumns c -> {
                    asked.add("columns");
                    if (c.values()) {
                        asked.add("values");
                    }
                    yield rules.onColumns(t, l, r, f.stamps(), c.values() ? LOCAL_VALUES : null);
                }
                case Verdict.ReadLocal x -> {
                    asked.add("values");
                    yield rules.onConcurrent(t, role, l, r, LOCAL_VALUES);
                }
                case Verdict.CheckDeletedParent x -> {
                    asked.add("deleted parent");
                    yield rules.onDeletedParent(l, r, f.deletedParent());
                }
                case Verdict.ReadStanding x -> {
                    asked.add("values");
                    yield rules.onRefused(LOCAL_VALUES);
                }
                case Verdict.AskResolver a -> {
                    asked.add("resolver");
                    Map<String, Object> remote = r.isDelete() ? null : r.values();
                    yield rules.onResolution(
                            role, l, r, a.local(), f.resolver().resolve("t", a.local(), remote, Optional.empty()));
                }
            };
        }
        return (Verdict.Act) v;
    }

    private static String describe(Verdict.Act act) {
        return switch (act) {
            case Verdict.Duplicate x -> "duplicate";
            case Verdict.Superseded s -> s.reject() ? "superseded, rejected" : "superseded";
            case Verdict.Resent s -> (s.reject() ? "superseded, rejected" : "superseded") + ", resent";
            case Verdict.Hold h -> "hold";
            case Verdict.Take x -> "take";
            case Verdict.TakeColumns c ->
                c.merged()
                        ? "take merged v" + c.change().version() + "/"
                                + c.change().base() + " " + show(c.change().values())
                        : "take stamped";
            case Verdict.MergeColumns m -> "merge back v" + m.version() + "/" + m.base() + " " + show(m.values());
            case Verdict.RecordConflict c ->
                "conflict " + show(c.local()) + ", " + c.then().name().toLowerCase();
            case Verdict.KeepLocal k ->
                "keep local " + show(k.local()) + ", "
                        + (k.rewrite() == null
                                ? "resend"
                                : "rewrite v" + k.rewrite().version() + "/"
                                        + k.rewrite().base());
            case Verdict.Merged m -> "merged v" + m.version() + "/" + m.base() + " " + show(m.values());
            case Verdict.Orphaned o -> "conflict, delete v" + o.version() + "/" + o.base();
        };
    }

    /** Value columns of a row, or "deleted". */
    private static String show(Map<String, Object> row) {
        if (row == null) {
            return "deleted";
        }
        return row.entrySet().stream()
                .filter(e -> !e.getKey().equals("id"))
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static SyncedTable table(ConflictPolicy policy) {
        Table table = new Table(
                "t",
                List.of(
                        new Column("id", "INTEGER", Types.INTEGER, false, 1),
                        new Column("a", "TEXT", Types.VARCHAR, true, 0),
                        new Column("b", "TEXT", Types.VARCHAR, true, 0)),
                List.of());
        return new SyncedTable(1, table, policy, Set.of(), null);
    }

    /** {@code -}, {@code row STAMP vV/B} or {@code gone STAMP vV/B}. */
    private static LocalRow entry(String spec) {
        if (spec == null) {
            return null;
        }
        String[] p = spec.split(" ");
        long[] vb = versions(p[2]);
        return new LocalRow(1L, p[0].equals("gone") ? Op.DELETE : Op.UPSERT, stamp(p[1]), vb[0], vb[1]);
    }

    /** {@code upsert STAMP vV/B [{cols}]} or {@code delete STAMP vV/B}. */
    private static Change change(String spec) {
        String[] p = spec.split(" ");
        Stamp s = stamp(p[1]);
        long[] vb = versions(p[2]);
        if (p[0].equals("delete")) {
            return new Change("t", List.of(1L), Op.DELETE, Map.of(), s.hlc(), s.origin(), vb[0], vb[1], Map.of());
        }
        Map<String, Object> values = values("a2", "b2");
        if (p.length > 3) {
            values.keySet().retainAll(Set.of(("id," + p[3].replaceAll("[{}]", "")).split(",")));
        }
        return new Change("t", List.of(1L), Op.UPSERT, values, s.hlc(), s.origin(), vb[0], vb[1], Map.of());
    }

    private static Map<String, Object> values(Object a, Object b) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", 1L);
        v.put("a", a);
        v.put("b", b);
        return v;
    }

    private static Stamp stamp(String spec) {
        String[] p = spec.split("@");
        return new Stamp(Long.parseLong(p[0]), p[1]);
    }

    private static long[] versions(String spec) {
        String[] p = spec.substring(1).split("/");
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])};
    }

    /** What the database and the resolver answer for the row. */
    private record Facts(
            boolean parentMissing,
            Change held,
            LocalRow deletedParent,
            Map<String, Stamp> stamps,
            ConflictResolver resolver) {

        static Facts parse(String spec) {
            boolean parentMissing = false;
            Change held = null;
            LocalRow deletedParent = null;
            Map<String, Stamp> stamps = new LinkedHashMap<>();
            ConflictResolver resolver = (table, local, remote, base) -> {
                throw new AssertionError("the resolver was not expected to be asked");
            };
            for (String fact : spec == null ? new String[0] : spec.split(", ")) {
                String[] p = fact.split(" ");
                switch (p[0]) {
                    case "parent" -> parentMissing = true;
                    case "deleted" -> deletedParent = entry("gone " + p[1] + " v2/1");
                    case "held" -> held = change("upsert " + p[1] + " v1/0");
                    case "stamps" -> {
                        for (int i = 1; i < p.length; i++) {
                            String[] cs = p[i].split("=");
                            stamps.put(cs[0], stamp(cs[1]));
                        }
                    }
                    case "resolver" -> resolver = resolver(p[1]);
                    default -> throw new IllegalArgumentException("unknown fact: " + fact);
                }
            }
            return new Facts(parentMissing, held, deletedParent, stamps, resolver);
        }

        private static ConflictResolver resolver(String outcome) {
            ConflictResolver.Resolution resolution = switch (outcome) {
                case "keep" -> new ConflictResolver.KeepLocal();
                case "take" -> new ConflictResolver.TakeRemote();
                case "merge" -> new ConflictResolver.Merged(values("m", "m"));
                case "manual" -> new ConflictResolver.Manual();
                default -> throw new IllegalArgumentException("unknown resolver outcome: " + outcome);
            };
            return (table, local, remote, base) -> resolution;
        }
    }
}
