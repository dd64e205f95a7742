package io.shuttlebridge.server.internal.rules;

import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.capture.SyncSchema;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.feed.FeedReader;
import io.shuttlebridge.core.internal.sync.HubSide;
import io.shuttlebridge.core.sync.PullResult;
import io.shuttlebridge.server.rules.Predicate;
import io.shuttlebridge.server.rules.SyncRules;
import io.shuttlebridge.server.rules.TableRule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Tells a pulling device which tables' readable rows may have changed in ways its pull page does not
 * show (DESIGN §9, move-in and move-out), so that it reconciles them:
 *
 * <ul>
 *   <li>a table its rule's predicate reads (a membership table in a sub-select) changed: rows may have
 *       entered or left the device's set without changing themselves;
 *   <li>rows of the table itself changed and the page left some out: one may have moved out of the
 *       set (the hub does not know which rows a device holds, so it cannot say which);
 *   <li>the claims the rules use (or the rules themselves) differ from those of the device's last
 *       read;
 *   <li>the device pushed a change to the table that the hub did not take (what the hub holds instead,
 *       a row or a delete, may be one the subject may not read).
 * </ul>
 *
 * Only tables whose read rule is a SQL predicate are ever named. What the page's range held (entries of
 * the tables predicates read, upserts the page left out) is read with the page itself, in the same
 * pass over the feed ({@link #check}); this class adds the claims. Internal.
 */
public final class ReadSetChanges {
    private static final String KEY = "read_set:";
    private static final String DUE = "reconcile_due:";
    /** {@code S:N}: the cursor of the pull whose answer last named the due tables, and that answer's next. */
    private static final String DUE_TOLD = "reconcile_due_told:";

    private final SyncRules rules;
    /** For each table with a SQL read rule, the tables its predicate names. */
    private final Map<String, Set<String>> reads = new LinkedHashMap<>();
    /** Every table some predicate names. */
    private final Set<String> named = new TreeSet<>();
    /**
     * The tables whose predicate lets more rows in, never fewer, when rows are added to the other tables it
     * reads ({@link GrowingPredicate}) and does not read the table itself: after such additions only, a
     * device is told which rows moved in ({@link PullResult#movedIn}) instead of reconciling the table.
     */
    private final Set<String> growing = new TreeSet<>();

    public ReadSetChanges(SyncRules rules, SyncSchema schema) {
        this.rules = rules;
        for (SyncedTable t : schema.tables()) {
            if (rules.table(t.name()).read() instanceof Predicate.Sql sql) {
                Set<String> names = new TreeSet<>();
                for (SyncedTable other : schema.tables()) {
                    if (names(sql.text(), other.name())) {
                        names.add(other.name());
                    }
                }
                reads.put(t.name(), names);
                named.addAll(names);
                if (!names.contains(t.name()) && GrowingPredicate.test(sql.text())) {
                    growing.add(t.name());
                }
            }
        }
    }

    /** Whether {@code sql} names {@code table} (as a word, quoted or not): a superset is fine. */
    private static boolean names(String sql, String table) {
        return Pattern.compile(
                        "(?<![A-Za-z0-9_$])\"?" + Pattern.quote(table) + "\"?(?![A-Za-z0-9_$])",
                        Pattern.CASE_INSENSITIVE)
                .matcher(sql)
                .find();
    }

    /** The tables some rule's predicate reads. */
    public Set<String> watched() {
        return named;
    }

    /**
     * The tables {@code table}'s predicate reads when rows added to them can only let rows of it in ({@link
     * #growing}), in name order; empty when its moves are found by reconciling it whole.
     */
    public List<String> growingFrom(String table) {
        return growing.contains(table) ? List.copyOf(reads.get(table)) : List.of();
    }

    /**
     * What a pull page of {@code node} must read besides its changes for {@link #after} to answer, in
     * the page's own statement; null when no table has a SQL read rule. {@code movesIn}: the device takes
     * {@link PullResult#movedIn} (else every such table is named to reconcile).
     */
    public HubSide.MoveCheck check(String node, long since, Map<String, Object> claims, boolean movesIn) {
        if (reads.isEmpty()) {
            return null;
        }
        return new HubSide.MoveCheck(named, reads.keySet(), (c, page, answer) -> {
            Set<String> otherReasons = new TreeSet<>();
            List<String> reconcile = after(c, node, since, page, claims, otherReasons);
            if (!movesIn) {
                return answer.reconciling(reconcile);
            }
            List<String> whole = new ArrayList<>();
            List<String> movedIn = new ArrayList<>();
            for (String t : reconcile) {
                (!otherReasons.contains(t) && onlyMovedIn(t, page) ? movedIn : whole).add(t);
            }
            return answer.reconciling(whole).movingIn(movedIn);
        });
    }

    /**
     * Whether {@code table}, named to reconcile after {@code page} for what the page saw alone (not for claims or
     * rules that differ, nor a change the hub did not take), can only have had rows move in: its predicate
     * grows with the tables it reads, the page saw rows added to them and nothing else, and left out none of
     * the table's own rows.
     */
    private boolean onlyMovedIn(String table, FeedReader.Page page) {
        if (!growing.contains(table) || page.leftOut().contains(table)) {
            return false;
        }
        Set<String> touched = new TreeSet<>(reads.get(table));
        touched.retainAll(page.touched());
        return !touched.isEmpty() && page.onlyAdded().containsAll(touched);
    }

    /**
     * The tables {@code node}, pulling from {@code since}, should reconcile after a pull page read with {@link
     * #check}: see the class comment; those named for another reason than what the page saw (claims or rules
     * that differ, a change the hub did not take) are added to {@code whole}. Notes the claims it read with.
     */
    private List<String> after(
            Connection c, String node, long since, FeedReader.Page page, Map<String, Object> claims, Set<String> whole)
            throws SQLException {
        if (reads.isEmpty()) {
            return List.of();
        }
        if (!fingerprint(claims).equals(remembered(c, node))) {
            remember(c, node, claims);
            addDue(c, node, reads.keySet()); // told until the device has the answer that tells it
        }
        Set<String> due = due(c, node, since, page.lastSeq());
        whole.addAll(due);
        List<String> out = new ArrayList<>();
        for (var e : reads.entrySet()) {
            if (page.leftOut().contains(e.getKey())
                    || e.getValue().stream().anyMatch(page.touched()::contains)
                    || due.contains(e.getKey())) {
                out.add(e.getKey());
            }
        }
        return out;
    }

    /**
     * Notes that {@code node} pushed changes to {@code tables} that the hub did not take (older than what it
     * holds): what it holds instead may be a row or a delete the subject may not read, which its pulls
     * never bring, so its next pull names those tables to reconcile.
     */
    public void notTaken(Connection c, String node, Set<String> tables) throws SQLException {
        Set<String> all = new TreeSet<>(tables);
        all.retainAll(reads.keySet());
        addDue(c, node, all);
    }

    /** Adds {@code tables} to those due for {@code node}'s next pull to name, which then names them all anew. */
    private static void addDue(Connection c, String node, Set<String> tables) throws SQLException {
        if (tables.isEmpty()) {
            return;
        }
        Set<String> all = new TreeSet<>(tables);
        all.addAll(dueTables(c, node));
        MetaKeys.remove(c, DUE_TOLD + node);
        MetaKeys.put(c, DUE + node, String.join(",", all));
    }

    private static Set<String> dueTables(Connection c, String node) throws SQLException {
        return new TreeSet<>(
                MetaKeys.get(c, DUE + node).map(v -> List.of(v.split(","))).orElse(List.of()));
    }

    /**
     * The tables due for {@code node} ({@link #notTaken}, claims or rules that differ), to name in the answer to
     * its pull from {@code since}, which answers {@code next}. They are named until the device pulls on from
     * the answer that named them (then it holds them to reconcile, noted with the cursor that answer gave):
     * an answer lost on its way is answered again. A pull that moved no cursor cannot tell, so it names them
     * again.
     */
    private static Set<String> due(Connection c, String node, long since, long next) throws SQLException {
        Set<String> out = dueTables(c, node);
        if (out.isEmpty()) {
            return out;
        }
        Optional<String> told = MetaKeys.get(c, DUE_TOLD + node);
        if (told.isPresent()) {
            String[] at = told.get().split(":");
            long toldSince = Long.parseLong(at[0]);
            long toldNext = Long.parseLong(at[1]);
            if (toldNext > toldSince && since >= toldNext) {
                MetaKeys.remove(c, DUE + node, DUE_TOLD + node);
                return new TreeSet<>();
            }
        }
        MetaKeys.put(c, DUE_TOLD + node, since + ":" + next);
        return out;
    }

    /** Notes the claims a device reads with (when it takes a snapshot: it then holds what they allow). */
    public void remember(Connection c, String node, Map<String, Object> claims) throws SQLException {
        MetaKeys.put(c, KEY + node, fingerprint(claims));
    }

    private static String remembered(Connection c, String node) throws SQLException {
        return MetaKeys.get(c, KEY + node).orElse("");
    }

    /** What the device's set depends on besides the hub's rows: the read rules and the claims they use. */
    private String fingerprint(Map<String, Object> claims) {
        StringBuilder s = new StringBuilder();
        for (String table : reads.keySet()) {
            TableRule r = rules.table(table);
            s.append(table).append('\u0000').append(r.read()).append('\u0000');
        }
        for (String claim : rules.claims()) {
            s.append(claim).append('=').append(claims.get(claim)).append('\u0000');
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
