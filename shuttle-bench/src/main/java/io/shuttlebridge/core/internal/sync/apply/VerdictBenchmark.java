package io.shuttlebridge.core.internal.sync.apply;

import io.shuttlebridge.core.ConflictPolicy;
import io.shuttlebridge.core.change.Change;
import io.shuttlebridge.core.change.Op;
import io.shuttlebridge.core.change.Stamp;
import io.shuttlebridge.core.id.Hlc;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.schema.Column;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The conflict rules' first decision for one incoming change ({@link ApplyRules#onEntry} and, where the
 * change has its parents, {@link ApplyRules#decide}), per policy, for a change that wins, one that loses
 * and one that is concurrent with this replica's own write: the cost the apply path pays per row before
 * any database work. Lives in the rules' package because they are internal.
 *
 * <p>Run: {@code ./shuttle bench micro Verdict} (JMH options may follow: {@code -f 1 -wi 2 -i 3}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class VerdictBenchmark {
    @Param({"LWW", "FIELD_LWW", "VERSION_STRICT", "MANUAL", "CUSTOM"})
    public ConflictPolicy policy;

    @Param({"newer", "older", "concurrent"})
    public String incoming;

    private final ApplyRules rules = new ApplyRules("local-node");
    private SyncedTable table;
    private LocalRow local;
    private Change change;

    @Setup
    public void setUp() {
        Table t = new Table(
                "note",
                List.of(
                        new Column("id", "INTEGER", Types.INTEGER, false, 1),
                        new Column("body", "TEXT", Types.VARCHAR, true, 0),
                        new Column("n", "INTEGER", Types.INTEGER, true, 0)),
                List.of());
        table = new SyncedTable(1, t, policy, Set.of(), null);
        long now = Hlc.pack(1_800_000_000_000L, 0);
        local = new LocalRow(1L, Op.UPSERT, new Stamp(now, "local-node"), 3, incoming.equals("concurrent") ? 2 : 3);
        long hlc = incoming.equals("older") ? now - 1_000_000 : now + 1_000_000;
        long base = incoming.equals("newer") ? 3 : 2;
        change = new Change(
                "note",
                List.of(1L),
                Op.UPSERT,
                Map.of("id", 1L, "body", "b", "n", 2L),
                hlc,
                "remote",
                4,
                base,
                Map.of());
    }

    @Benchmark
    public Verdict decide() {
        Verdict v = rules.onEntry(table, Role.HUB, local, change, Arrival.FRESH);
        return v instanceof Verdict.CheckParents ? rules.decide(table, Role.HUB, local, change) : v;
    }
}
