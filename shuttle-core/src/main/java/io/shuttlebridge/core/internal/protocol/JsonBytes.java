package io.shuttlebridge.core.internal.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.change.ChangeCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/** Writes a body of changes straight to UTF-8 bytes with a streaming generator, into a buffer sized for them. */
final class JsonBytes {
    /** Writes UTF-8 as the tree writer's strings do: characters beyond the BMP as themselves, not as escaped surrogate pairs. */
    private static final JsonFactory BYTES = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
            .recyclerPool(ChangeCodec.BUFFERS)
            .build();

    /** Bytes a change usually takes on the wire: the buffer starts near its final size instead of doubling up to it. */
    private static final int BYTES_PER_CHANGE = 256;

    /** What a body writes to the generator. */
    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private JsonBytes() {}

    /** The body's bytes; {@code changes} is the number of changes it holds. */
    static byte[] write(int changes, Body body) {
        ByteArrayOutputStream out =
                new ByteArrayOutputStream((int) Math.min(64L * 1024 * 1024, 128L + (long) changes * BYTES_PER_CHANGE));
        try (JsonGenerator g = BYTES.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new ShuttleException(ErrorCode.INTERNAL, "cannot write JSON", e);
        }
        return out.toByteArray();
    }
}
