package io.shuttlebridge.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.io.IOException;
import java.io.InputStream;

/** Reads a JSON request body, refusing one larger than the limit before parsing it (413). */
public final class BodyReader {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final long maxBytes;

    public BodyReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The largest body taken, in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    public JsonNode json(Context ctx) {
        return parse(bytes(ctx));
    }

    /** The request body, refused when it is larger than the limit or empty. */
    public byte[] bytes(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(declared);
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw new ShuttleException(
                    ErrorCode.MALFORMED_PAYLOAD, "could not read the request body: " + e.getMessage(), e);
        }
        if (body.length > maxBytes) {
            throw tooLarge(-1);
        }
        if (body.length == 0) {
            throw new ShuttleException(
                    ErrorCode.MALFORMED_PAYLOAD, "the request body is empty: a JSON object is required");
        }
        return body;
    }

    /** A body read by {@link #bytes} as a JSON tree. */
    public JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new ShuttleException(
                    ErrorCode.MALFORMED_PAYLOAD,
                    "the request body is not valid JSON: "
                            + e.getMessage().lines().findFirst().orElse(""),
                    e);
        }
    }

    private PayloadTooLarge tooLarge(long declared) {
        return new PayloadTooLarge(
                "the request body " + (declared >= 0 ? "has " + declared + " bytes" : "is larger than the limit")
                        + "; this hub takes at most " + maxBytes + " bytes per request: push smaller batches");
    }

    /** A body over the size limit: answered with 413. */
    public static final class PayloadTooLarge extends RuntimeException {
        public PayloadTooLarge(String message) {
            super(message);
        }
    }
}
