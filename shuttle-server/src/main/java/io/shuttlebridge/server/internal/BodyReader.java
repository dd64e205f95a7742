package io.shuttlebridge.server.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.protocol.Utf8;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads a JSON request body, refusing one larger than the limit before parsing it (413), and one
 * declared as something else than JSON ({@code Content-Type} other than {@code application/json} or
 * {@code application/*+json}; a body without the header is read as JSON), and one that is not
 * well-formed UTF-8 ({@link Utf8}).
 */
public final class BodyReader {
    /** A body is one JSON value: anything after it (a second object, say) makes it invalid. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** How much more than the limit an over-limit body may have for it to be read and dropped before the 413. */
    private static final long DRAIN_BEYOND_LIMIT = 1L << 20;

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
            refuseUnread(ctx);
            throw tooLarge(declared);
        }
        requireJson(ctx.header("Content-Type"));
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        } catch (IOException e) {
            throw new ShuttleException(
                    ErrorCode.MALFORMED_PAYLOAD, "could not read the request body: " + e.getMessage(), e);
        }
        if (body.length > maxBytes) {
            refuseUnread(ctx);
            throw tooLarge(-1);
        }
        if (body.length == 0) {
            throw new ShuttleException(
                    ErrorCode.MALFORMED_PAYLOAD, "the request body is empty: a JSON object is required");
        }
        int bad = Utf8.firstInvalid(body);
        if (bad >= 0) {
            throw new ShuttleException(
                    ErrorCode.MALFORMED_PAYLOAD,
                    "the request body is not well-formed UTF-8 (byte " + bad + ", 0x"
                            + String.format("%02X", body[bad] & 0xFF) + "): JSON is sent in UTF-8");
        }
        return body;
    }

    /**
     * Before a 413: what is left of the body is read and dropped, up to the limit and a mebibyte more, so that
     * the answer reaches the client (see {@link #dropUnread}).
     */
    private void refuseUnread(Context ctx) {
        if (!dropUnread(ctx.req(), maxBytes + DRAIN_BEYOND_LIMIT)) {
            ctx.header("Connection", "close");
        }
    }

    /**
     * Reads and drops what is left of a request's body, at most {@code bound} bytes, before an answer that did
     * not read it: a server that closes a socket with unread bytes in it resets the connection, and the client
     * may lose the answer it was about to read. Returns whether the body was read to its end (the connection
     * can then serve the next request); when not, the answer should close the connection.
     */
    public static boolean dropUnread(HttpServletRequest req, long bound) {
        long left = bound;
        try {
            InputStream in = req.getInputStream();
            while (left >= 0) {
                long skipped = in.skip(Math.max(1, left));
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        return true;
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        } catch (IOException | IllegalStateException e) {
            // the client went away, sent a broken body, or the body was taken as a reader: close
        }
        return false;
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

    private static void requireJson(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return;
        }
        int semi = contentType.indexOf(';');
        String media =
                (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json") && !(media.startsWith("application/") && media.endsWith("+json"))) {
            throw new ShuttleException(
                    ErrorCode.MALFORMED_PAYLOAD,
                    "the request body must be JSON: send it as 'Content-Type: application/json', not '"
                            + (media.length() > 100 ? media.substring(0, 100) + "..." : media) + "'");
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
