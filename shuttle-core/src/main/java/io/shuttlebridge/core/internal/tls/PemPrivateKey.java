package io.shuttlebridge.core.internal.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

/**
 * The private key of a PEM file, in any of the forms OpenSSL writes unencrypted: PKCS#8 ({@code PRIVATE KEY}: RSA, EC,
 * Ed25519/Ed448, RSASSA-PSS), PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}). Encrypted keys are
 * refused with how to decrypt them.
 */
public final class PemPrivateKey {
    private static final String PKCS8 = "PRIVATE KEY";
    private static final String PKCS1 = "RSA PRIVATE KEY";
    private static final String SEC1 = "EC PRIVATE KEY";
    private static final List<String> ALGORITHMS = List.of("RSA", "EC", "EdDSA", "RSASSA-PSS");
    // AlgorithmIdentifier {rsaEncryption, NULL} and the OID id-ecPublicKey, as DER
    private static final byte[] RSA_ALGORITHM = Der.tlv(
            Der.SEQUENCE,
            Der.tlv(Der.OID, new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01}),
            Der.tlv(Der.NULL));
    private static final byte[] EC_PUBLIC_KEY =
            Der.tlv(Der.OID, new byte[] {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01});
    private static final byte[] VERSION_0 = Der.tlv(Der.INTEGER, new byte[] {0});

    private PemPrivateKey() {}

    public static PrivateKey read(Path path, String what) {
        return read(PemFile.read(path, what));
    }

    static PrivateKey read(PemFile file) {
        if (!file.ofType("ENCRYPTED PRIVATE KEY").isEmpty()
                || file.blocks().stream().anyMatch(b -> b.headers() && b.type().endsWith("PRIVATE KEY"))) {
            throw file.invalid("holds an encrypted private key; give it unencrypted (e.g. 'openssl pkey -in KEY -out"
                    + " PLAIN.pem'), in a file only the hub's user can read");
        }
        List<PemFile.Block> keys = file.blocks().stream()
                .filter(b -> b.type().equals(PKCS8)
                        || b.type().equals(PKCS1)
                        || b.type().equals(SEC1))
                .toList();
        if (keys.isEmpty()) {
            throw file.invalid("holds no private key (a '-----BEGIN PRIVATE KEY-----', 'RSA PRIVATE KEY' or 'EC"
                    + " PRIVATE KEY' block), only " + file.types());
        }
        if (keys.size() > 1) {
            throw file.invalid(
                    "holds " + keys.size() + " private keys; give a file with the one key of the" + " certificate");
        }
        PemFile.Block key = keys.getFirst();
        byte[] pkcs8;
        try {
            pkcs8 = switch (key.type()) {
                case PKCS1 -> Der.tlv(Der.SEQUENCE, VERSION_0, RSA_ALGORITHM, Der.tlv(Der.OCTET_STRING, key.der()));
                case SEC1 -> {
                    byte[] curve = Der.explicit(key.der(), 0);
                    if (curve == null) {
                        throw file.invalid("has an EC PRIVATE KEY that names no curve; write it with its parameters"
                                + " (e.g. 'openssl pkey -in KEY -out PKCS8.pem')");
                    }
                    yield Der.tlv(
                            Der.SEQUENCE,
                            VERSION_0,
                            Der.tlv(Der.SEQUENCE, EC_PUBLIC_KEY, curve),
                            Der.tlv(Der.OCTET_STRING, key.der()));
                }
                default -> key.der();
            };
        } catch (IllegalArgumentException e) {
            throw file.invalid("is not valid: its " + key.type() + " block is not a key (" + e.getMessage() + ")", e);
        }
        for (String algorithm : ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            } catch (GeneralSecurityException | RuntimeException e) {
                // not a key of this algorithm: try the next
            }
        }
        throw file.invalid(
                "has a " + key.type() + " block that is not an RSA, EC or EdDSA private key this JVM can" + " read");
    }
}
