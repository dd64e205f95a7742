package io.shuttlebridge.server.internal;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.internal.protocol.ErrorCodec;
import io.shuttlebridge.core.internal.protocol.Protocol;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers of the HTTP server itself, for requests it refuses before any handler sees them (a
 * path with a NUL or an ambiguous segment, say): the
 * protocol's JSON error, {@code {"error": {"code", "message"}}}, instead of an HTML page.
 */
public final class JsonErrorPages extends ErrorHandler {
    @Override
    protected void generateResponse(
            Request request, Response response, int code, String message, Throwable cause, Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, Protocol.JSON);
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    private static byte[] body(int status, String reason) {
        String message = "the request was refused before it reached the hub: " + status
                + (reason == null || reason.isBlank() ? "" : " " + reason);
        return ErrorCodec.write(ErrorCode.forHttpStatus(status).name(), message).getBytes(StandardCharsets.UTF_8);
    }
}
