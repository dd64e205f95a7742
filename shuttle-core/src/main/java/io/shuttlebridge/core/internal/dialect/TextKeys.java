package io.shuttlebridge.core.internal.dialect;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.capture.SyncedTable;
import io.shuttlebridge.core.internal.schema.Column;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Reading back feed keys stored as text (the PostgreSQL and MariaDB hubs): a one-column key is the
 * value's canonical text, a composite key the JSON array of those texts. How one text turns back into
 * a value is the dialect's.
 */
public final class TextKeys {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TextKeys() {}

    /**
     * The key values of the stored key {@code text} of table {@code t}, in key order.
     *
     * @param column the table's column of a key column name
     * @param part one key part's text read back as the engine reads values of its column
     */
    public static List<Object> decode(
            SyncedTable t, String text, Function<String, Column> column, BiFunction<Column, String, Object> part) {
        if (t.key().size() == 1) {
            return Collections.singletonList(part.apply(column.apply(t.key().get(0)), text));
        }
        List<String> parts;
        try {
            parts = JSON.readValue(text, new TypeReference<List<String>>() {});
        } catch (JsonProcessingException e) {
            throw new ShuttleException(ErrorCode.INTERNAL, "cannot parse stored composite key: " + text, e);
        }
        if (parts.size() != t.key().size()) {
            throw new ShuttleException(
                    ErrorCode.INTERNAL,
                    "stored key " + text + " has " + parts.size() + " parts, expected "
                            + t.key().size());
        }
        List<Object> out = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            out.add(part.apply(column.apply(t.key().get(i)), parts.get(i)));
        }
        return out;
    }

    /**
     * An ISO-8601 key text in the form values of its column are read in ({@code Jdbc.readValue}), so that
     * a change's key matches its values; a text java.time does not hold (infinity) as it is.
     */
    public static String isoTime(String text, boolean zoned) {
        try {
            return zoned
                    ? OffsetDateTime.parse(text).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    : LocalDateTime.parse(text).format(DateTimeFormatter.ISO_LOCAL_DATE_TIME);
        } catch (DateTimeParseException e) {
            return text;
        }
    }
}
