package io.shuttlebridge.bridge.internal.run;

import io.shuttlebridge.bridge.definition.EntityDefinition;
import io.shuttlebridge.bridge.definition.FieldSpec;
import io.shuttlebridge.bridge.internal.identity.IdentityHasher;
import io.shuttlebridge.bridge.internal.map.Mapper;
import io.shuttlebridge.bridge.internal.normalize.Normalizer;
import io.shuttlebridge.bridge.internal.record.PreparedRecord;
import io.shuttlebridge.bridge.internal.record.RecordRejection;
import io.shuttlebridge.bridge.internal.record.Rejected;
import io.shuttlebridge.bridge.internal.record.SourceRecord;
import io.shuttlebridge.bridge.internal.record.Stage;
import io.shuttlebridge.bridge.internal.store.RowCodec;
import io.shuttlebridge.bridge.internal.validate.Validation;
import io.shuttlebridge.bridge.internal.validate.Validator;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/** Stages 2 to 5 (normalize, validate, map, identity) for one entity. Not thread-safe. */
final class RecordPreparer {
    private final EntityDefinition entity;
    private final Normalizer normalizer;
    private final Validator validator;
    private final Mapper mapper;
    private final IdentityHasher hasher;

    RecordPreparer(EntityDefinition entity) {
        this.entity = entity;
        this.normalizer = Normalizer.standard(entity);
        this.validator = Validator.of(entity);
        this.mapper = Mapper.of(entity);
        this.hasher = IdentityHasher.of(entity);
    }

    Object normalize(SourceRecord r) {
        try {
            return normalizer.normalize(r.values());
        } catch (RecordRejection e) {
            return rejected(e, r.values(), null, null);
        }
    }

    /** Returns null when valid. */
    Rejected validate(SourceRecord r, Object[] normalized) {
        if (validator.validate(normalized) instanceof Validation.Invalid invalid) {
            Object[] mapped = null;
            byte[] bk = null;
            try {
                mapped = mapper.map(normalized);
                bk = hasher.businessKey(mapped);
            } catch (RecordRejection e) {
                // the key is not computable; the letter is keyed by its raw payload
            }
            return new Rejected(
                    Stage.VALIDATE,
                    invalid.rule() + " at " + invalid.path(),
                    invalid.message(),
                    r.values(),
                    normalized,
                    mapped,
                    bk);
        }
        return null;
    }

    Object map(SourceRecord r, Object[] normalized) {
        try {
            return mapper.map(normalized);
        } catch (RecordRejection e) {
            return rejected(e, r.values(), normalized, null);
        }
    }

    Object identify(SourceRecord r, Object[] normalized, Object[] mapped) {
        try {
            byte[] bk = hasher.businessKey(mapped);
            byte[] data = r.tombstone() ? new byte[32] : hasher.data(mapped);
            return new PreparedRecord(
                    r.values(), mapped, bk, data, hasher.orderKey(mapped), r.rowversion(), r.tombstone());
        } catch (RecordRejection e) {
            return rejected(e, r.values(), normalized, mapped);
        }
    }

    /** All four stages for one record: a {@link PreparedRecord} or a {@link Rejected}. */
    Object prepare(SourceRecord r) {
        Object n = normalize(r);
        if (n instanceof Rejected) {
            return n;
        }
        Object[] normalized = (Object[]) n;
        Rejected invalid = r.tombstone() ? null : validate(r, normalized);
        if (invalid != null) {
            return invalid;
        }
        Object m = map(r, normalized);
        if (m instanceof Rejected) {
            return m;
        }
        return identify(r, normalized, (Object[]) m);
    }

    private static Rejected rejected(RecordRejection e, Object[] raw, Object[] normalized, Object[] mapped) {
        return new Rejected(e.stage(), e.rule(), e.getMessage(), raw, normalized, mapped, null);
    }

    List<String> fieldNames() {
        return entity.fields().stream().map(FieldSpec::name).toList();
    }

    /** The dead-letter key: the business-key hash when known, else a hash of the raw payload. */
    static String recordKey(Rejected r, List<String> fieldNames) {
        if (r.bkHash() != null) {
            return HexFormat.of().formatHex(r.bkHash());
        }
        byte[] raw = RowCodec.encode(fieldNames, r.raw()).getBytes(StandardCharsets.UTF_8);
        return "raw:" + HexFormat.of().formatHex(IdentityHasher.xxh3(raw, raw.length));
    }
}
