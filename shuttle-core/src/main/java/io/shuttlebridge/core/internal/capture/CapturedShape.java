package io.shuttlebridge.core.internal.capture;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import io.shuttlebridge.core.internal.Jdbc;
import io.shuttlebridge.core.internal.MetaKeys;
import io.shuttlebridge.core.internal.protocol.HubSchema;
import io.shuttlebridge.core.internal.protocol.SchemaCodec;
import io.shuttlebridge.core.internal.schema.Table;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shape of the synced tables as capture last took them, kept in {@code _shuttle_meta} (key {@value
 * #KEY}, the schema document's JSON): what a later change of the tables is compared with.
 */
final class CapturedShape {
    static final String KEY = "captured_schema";
    private static final ObjectMapper JSON = new ObjectMapper();

    private CapturedShape() {}

    static void write(Connection c, SyncSchema schema, String dialect) throws SQLException {
        String doc = SchemaCodec.write(HubSchema.of(schema, dialect));
        if (Jdbc.update(c, "UPDATE _shuttle_meta SET value = ? WHERE key = ?", doc, KEY) == 0) {
            Jdbc.update(c, "INSERT INTO _shuttle_meta (key, value) VALUES (?, ?)", KEY, doc);
        }
    }

    /** The captured tables by name; empty when capture ran before this was kept. */
    static Map<String, Table> read(Connection c) throws SQLException {
        String doc = MetaKeys.get(c, KEY).orElse(null);
        Map<String, Table> out = new LinkedHashMap<>();
        if (doc == null) {
            return out;
        }
        try {
            for (HubSchema.TableSpec t : SchemaCodec.read(JSON.readTree(doc)).tables()) {
                out.put(t.name(), t.table());
            }
        } catch (JsonProcessingException | RuntimeException e) {
            throw new ShuttleException(ErrorCode.INTERNAL, "corrupt captured schema in _shuttle_meta: " + e, e);
        }
        return out;
    }
}
