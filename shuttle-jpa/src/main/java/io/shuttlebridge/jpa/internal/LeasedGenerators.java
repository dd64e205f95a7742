package io.shuttlebridge.jpa.internal;

import io.shuttlebridge.core.id.KSortedIdGenerator;
import io.shuttlebridge.core.id.KSortedIds;

/**
 * One id generator per leased short id of a database, for the whole process: every entity and
 * every session factory writing to that database draws from it, so their ids never repeat.
 */
final class LeasedGenerators {
    private LeasedGenerators() {}

    static KSortedIdGenerator of(LeasedShortId lease) {
        return KSortedIds.leased(lease.nodeUuid(), lease.shortId());
    }
}
