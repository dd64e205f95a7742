package io.shuttlebridge.bridge;

import java.util.List;

/** What a dead-letter retry did: the ids now resolved and those that failed again (with the new error recorded). */
public record RetryResult(List<Long> resolved, List<Long> failed, List<Long> notFound) {}
