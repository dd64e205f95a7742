package io.shuttlebridge.core.internal.tls;

import io.shuttlebridge.core.ErrorCode;
import io.shuttlebridge.core.ShuttleException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code -----BEGIN TYPE-----} blocks of a PEM file, decoded. {@code what} names the file in errors ("the TLS
 * certificate", "the CA certificate"), which are {@link ErrorCode#INVALID_ARGUMENT}.
 */
public record PemFile(Path path, String what, List<Block> blocks) {
    private static final Pattern BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    /** One block: its type ({@code CERTIFICATE}, {@code PRIVATE KEY}...), whether it has RFC 1421 headers, its bytes. */
    public record Block(String type, boolean headers, byte[] der) {}

    public PemFile {
        blocks = List.copyOf(blocks);
    }

    public static PemFile read(Path path, String what) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            throw new ShuttleException(ErrorCode.INVALID_ARGUMENT, what + " file " + path + " does not exist");
        } catch (IOException e) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    what + " file " + path + " cannot be read: " + e.getClass().getSimpleName() + " " + e.getMessage(),
                    e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String body = m.group(2);
            boolean headers = body.contains(":");
            if (headers) {
                int blank = body.replace("\r\n", "\n").indexOf("\n\n");
                body = blank < 0 ? "" : body.replace("\r\n", "\n").substring(blank + 2);
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(body.strip());
            } catch (IllegalArgumentException e) {
                throw new ShuttleException(
                        ErrorCode.INVALID_ARGUMENT,
                        what + " file " + path + " is not valid PEM: its " + m.group(1) + " block is not base64 ("
                                + e.getMessage() + ")");
            }
            blocks.add(new Block(m.group(1), headers, der));
        }
        if (blocks.isEmpty()) {
            throw new ShuttleException(
                    ErrorCode.INVALID_ARGUMENT,
                    what + " file " + path + " is not a PEM file: it has no '-----BEGIN ...-----' block");
        }
        return new PemFile(path, what, blocks);
    }

    /** The blocks of one type. */
    public List<Block> ofType(String type) {
        return blocks.stream().filter(b -> b.type().equals(type)).toList();
    }

    /** The types of the blocks, for a message saying what the file holds instead. */
    public String types() {
        return String.join(", ", blocks.stream().map(Block::type).distinct().toList());
    }

    /** An {@link ErrorCode#INVALID_ARGUMENT} naming this file. */
    public ShuttleException invalid(String problem) {
        return new ShuttleException(ErrorCode.INVALID_ARGUMENT, what + " file " + path + " " + problem);
    }

    /** {@link #invalid} with the cause kept. */
    public ShuttleException invalid(String problem, Throwable cause) {
        return new ShuttleException(ErrorCode.INVALID_ARGUMENT, what + " file " + path + " " + problem, cause);
    }
}
