package io.shuttlebridge.jpa.internal;

import io.shuttlebridge.core.id.KSortedIdGenerator;
import io.shuttlebridge.core.id.MillisClock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One id generator per leased short id of a database, for the whole process: every entity and
 * every session factory writing to that database draws from it, so their ids never repeat.
 */
final class LeasedGenerators {
    private static final ConcurrentMap<LeasedShortId, KSortedIdGenerator> GENERATORS = new ConcurrentHashMap<>();

    private LeasedGenerators() {}

    static KSortedIdGenerator of(LeasedShortId lease) {
        return GENERATORS.computeIfAbsent(lease, l -> new KSortedIdGenerator(l.shortId(), MillisClock.system()));
    }
}
