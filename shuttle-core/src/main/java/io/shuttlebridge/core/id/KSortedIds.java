package io.shuttlebridge.core.id;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Access to "the" id generator without passing it around: a process-wide global generator, which
 * a thread can override for the duration of a call (for example to generate ids with a tenant's
 * own shortId).
 *
 * <pre>{@code
 * KSortedIds.setGlobal(new KSortedIdGenerator(nodeShortId, MillisClock.system()));
 * long id = KSortedIds.next();                                  // global generator
 * KSortedIds.withGenerator(tenantGenerator, () -> importRows()); // tenant's generator, this thread only
 * }</pre>
 *
 * <p>The override is a thread-local set by {@code withGenerator} and restored to its previous value
 * (possibly an outer override) when the call returns or throws, so scopes nest. It is not inherited
 * by threads started inside the scope.
 */
public final class KSortedIds {

    private static volatile KSortedIdGenerator global;
    private static final ThreadLocal<KSortedIdGenerator> OVERRIDE = new ThreadLocal<>();

    private KSortedIds() {}

    /** Sets the process-wide generator used when the current thread has no override. */
    public static void setGlobal(KSortedIdGenerator generator) {
        global = Objects.requireNonNull(generator, "generator");
    }

    /** Removes the process-wide generator (mainly for shutdown and tests). */
    public static void clearGlobal() {
        global = null;
    }

    /**
     * Returns the generator in effect for the current thread: its override if inside {@link
     * #withGenerator}, otherwise the global one.
     *
     * @throws ShuttleException {@link ErrorCode#ID_GENERATION} if neither is configured
     */
    public static KSortedIdGenerator current() {
        KSortedIdGenerator generator = OVERRIDE.get();
        if (generator == null) {
            generator = global;
        }
        if (generator == null) {
            throw new ShuttleException(
                    ErrorCode.ID_GENERATION,
                    "No id generator is configured: call KSortedIds.setGlobal(...) at start-up, or generate ids"
                            + " inside KSortedIds.withGenerator(...).");
        }
        return generator;
    }

    /**
     * Returns a new id from the {@linkplain #current() current} generator.
     *
     * @throws ShuttleException {@link ErrorCode#ID_GENERATION} if no generator is configured or the
     *     generator cannot produce an id
     */
    public static long next() {
        return current().next();
    }

    /** Runs {@code body} with {@code generator} as the current thread's generator. */
    public static void withGenerator(KSortedIdGenerator generator, Runnable body) {
        Objects.requireNonNull(body, "body");
        withGenerator(generator, () -> {
            body.run();
            return null;
        });
    }

    /**
     * Calls {@code body} with {@code generator} as the current thread's generator and returns its
     * result; the previous override (or its absence) is restored afterwards, even if {@code body}
     * throws.
     */
    public static <T> T withGenerator(KSortedIdGenerator generator, Supplier<T> body) {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(body, "body");
        KSortedIdGenerator previous = OVERRIDE.get();
        OVERRIDE.set(generator);
        try {
            return body.get();
        } finally {
            if (previous == null) {
                OVERRIDE.remove();
            } else {
                OVERRIDE.set(previous);
            }
        }
    }

    /** Where a device keeps the short id it leased from its hub: this key of {@code _shuttle_meta}. */
    public static final String LEASED_SHORT_ID_KEY = "lease_short_id";

    private static final java.util.concurrent.ConcurrentMap<String, KSortedIdGenerator> LEASED =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * The one generator of this process for the short id {@code shortId} that node {@code nodeUuid}
     * leased: every caller writing ids for that node (the application, an ORM, several session
     * factories) draws from the same generator, so its ids never repeat; and two devices never share a
     * leased short id, so theirs never collide.
     */
    public static KSortedIdGenerator leased(String nodeUuid, int shortId) {
        return LEASED.computeIfAbsent(
                nodeUuid + "/" + shortId, k -> new KSortedIdGenerator(shortId, MillisClock.system()));
    }
}
