package io.shuttlebridge.core.sync;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.change.Op;
import java.util.List;
import java.util.Map;

/**
 * A write of this device that its hub refused to store (DESIGN §9: outside the subject's write rule;
 * §10: a schema mismatch; a constraint of the hub's tables, a value too large for its column), kept so
 * that it is never silently lost: listed by {@code shuttle status} and {@code shuttle conflicts list}
 * (kind {@code rejected}) until dismissed or queued again ({@code shuttle conflicts retry}).
 *
 * @param id its number on this device
 * @param table the table written
 * @param key the row's key
 * @param op what was written
 * @param values the row as this device tried to write it (null for a delete)
 * @param code why, as the hub's error code
 * @param message what the hub said
 * @param hlc the write's stamp
 * @param rejectedAt when the hub's refusal arrived (ISO-8601)
 * @param status {@code open}, {@code dismissed}, or {@code retried} (written again to be pushed once more)
 */
public record RejectedWrite(
        long id,
        String table,
        List<Object> key,
        Op op,
        Map<String, Object> values,
        ErrorCode code,
        String message,
        long hlc,
        String rejectedAt,
        String status) {}
