package io.shuttlebridge.server.internal;

import io.javalin.http.Context;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.server.auth.Subject;

/**
 * Charges each authenticated request to its caller's bucket ({@link RateLimiter}): the subject when
 * callers have identities of their own (JWTs), else the remote address (an open hub or one shared
 * token). A caller over its limit is answered 429 {@code RATE_LIMITED} with a {@code Retry-After}
 * header before any handler runs, so the request changes nothing.
 */
public final class RequestRates {
    private final RateLimiter limiter;
    private final int perSecond;
    private final int burst;

    /** Requests limited by {@code limiter}, which allows {@code perSecond} a second in bursts of {@code burst}. */
    public RequestRates(RateLimiter limiter, int perSecond, int burst) {
        this.limiter = limiter;
        this.perSecond = perSecond;
        this.burst = burst;
    }

    /**
     * Lets the request go on, or refuses it.
     *
     * @throws ShuttleException {@link ErrorCode#RATE_LIMITED} when the caller's bucket is empty
     */
    public void admit(Context ctx) {
        Subject subject = RequestAuth.subject(ctx);
        String caller = subject == Subject.TRUSTED ? "address " + ctx.ip() : "subject " + subject.id();
        long wait = limiter.acquire(caller);
        if (wait > 0) {
            ctx.header("Retry-After", Long.toString(wait));
            throw new ShuttleException(
                    ErrorCode.RATE_LIMITED,
                    "too many requests from this " + (subject == Subject.TRUSTED ? "address" : "subject")
                            + ": the hub takes " + perSecond + " a second (bursts of " + burst
                            + ") from each; retry after "
                            + wait + " s");
        }
    }
}
