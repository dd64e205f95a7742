package io.shuttlebridge.core.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Ways to break a valid input: byte flips, bytes JSON gives meaning to, cuts, copies, truncation,
 * splices of two inputs, hostile tokens inserted, and JSON-aware changes (a value swapped for one of
 * another type, a field dropped or duplicated, a container nested in itself).
 */
public final class Mutations {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] INTERESTING = {
        '"',
        '{',
        '}',
        '[',
        ']',
        ',',
        ':',
        '\\',
        '0',
        '9',
        '-',
        '+',
        'e',
        'E',
        '.',
        ' ',
        'n',
        't',
        'f',
        'u',
        0x00,
        0x1F,
        0x7F,
        (byte) 0x80,
        (byte) 0xBF,
        (byte) 0xC0,
        (byte) 0xC3,
        (byte) 0xED,
        (byte) 0xF4,
        (byte) 0xFF
    };

    /** Values of every JSON type, some hostile. */
    public static final List<String> TOKENS = List.of(
            "null",
            "true",
            "false",
            "0",
            "-0",
            "-1",
            "1.5",
            "1e999",
            "-1e999",
            "9223372036854775807",
            "9223372036854775808",
            "18446744073709551617",
            "123456789012345678901234567890",
            "\"\"",
            "\" \"",
            "\"\\u0000\"",
            "\"\\ud800\"",
            "\"x'; DROP TABLE customer; --\"",
            "\"UPSERT\"",
            "\"DELETE\"",
            "\"customer\"",
            "\"0000000000000000\"",
            "\"ffffffffffffffff\"",
            "\"7fffffffffffffff\"",
            "\"00000000-0000-0000-0000-000000000000\"",
            "{}",
            "[]",
            "[null]",
            "[[]]",
            "{\"$b\":\"!!!\"}",
            "{\"$b\":\"AAEC\"}",
            "{\"$d\":\"1e2147483648\"}",
            "{\"$d\":\"12.50\"}",
            "{\"$f\":\"NaN\"}",
            "{\"$f\":\"-Infinity\"}",
            "{\"$x\":\"1\"}",
            "{\"$b\":\"AA\",\"$d\":\"1\"}",
            "{\"hlc\":\"0000000000010000\",\"origin\":\"n\"}");

    private Mutations() {}

    /** One to four mutations of {@code input}; {@code pool} gives the other half of splices. */
    public static byte[] mutate(Random r, byte[] input, List<byte[]> pool) {
        byte[] b = input;
        int rounds = 1 + r.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            b = once(r, b, pool);
        }
        return b;
    }

    private static byte[] once(Random r, byte[] b, List<byte[]> pool) {
        int kind = r.nextInt(10);
        if (b.length == 0 && kind < 6) {
            kind = 6;
        }
        switch (kind) {
            case 0: { // flip a bit
                byte[] c = b.clone();
                int at = r.nextInt(c.length);
                c[at] ^= (byte) (1 << r.nextInt(8));
                return c;
            }
            case 1: { // a byte JSON gives meaning to
                byte[] c = b.clone();
                c[r.nextInt(c.length)] = INTERESTING[r.nextInt(INTERESTING.length)];
                return c;
            }
            case 2: { // cut a range out
                int from = r.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + r.nextInt(Math.min(64, b.length - from)));
                return concat(slice(b, 0, from), slice(b, to, b.length));
            }
            case 3: { // copy a range somewhere else
                int from = r.nextInt(b.length);
                int to = Math.min(b.length, from + 1 + r.nextInt(64));
                int at = r.nextInt(b.length + 1);
                return concat(slice(b, 0, at), slice(b, from, to), slice(b, at, b.length));
            }
            case 4: // truncate
                return slice(b, 0, r.nextInt(b.length));
            case 5: { // splice with another input
                byte[] other = pool.get(r.nextInt(pool.size()));
                return concat(
                        slice(b, 0, r.nextInt(b.length)), slice(other, r.nextInt(other.length + 1), other.length));
            }
            case 6: { // a hostile token inserted
                int at = b.length == 0 ? 0 : r.nextInt(b.length + 1);
                return concat(
                        slice(b, 0, at),
                        TOKENS.get(r.nextInt(TOKENS.size())).getBytes(StandardCharsets.UTF_8),
                        slice(b, at, b.length));
            }
            default:
                return json(r, b);
        }
    }

    /**
     * A JSON-aware change of {@code b}: a value of another type put in place of one, a field dropped,
     * duplicated (last one wins, or not, depending on the reader) or renamed, or a container put
     * inside itself; {@code b} unchanged when it is not JSON.
     */
    public static byte[] json(Random r, byte[] b) {
        JsonNode root;
        try {
            root = JSON.readTree(b);
        } catch (IOException e) {
            return b;
        }
        if (!(root instanceof ContainerNode<?>)) {
            return token(r);
        }
        List<ContainerNode<?>> containers = new ArrayList<>();
        collect(root, containers);
        ContainerNode<?> target = containers.get(r.nextInt(containers.size()));
        try {
            if (target instanceof ObjectNode o && !o.isEmpty()) {
                List<String> names = new ArrayList<>();
                o.fieldNames().forEachRemaining(names::add);
                String name = names.get(r.nextInt(names.size()));
                switch (r.nextInt(5)) {
                    case 0 -> o.remove(name);
                    case 1 -> o.set(name, JSON.readTree(token(r)));
                    case 2 ->
                        o.set(
                                name + (r.nextBoolean() ? "" : "\u0000"),
                                o.get(name).deepCopy());
                    case 3 -> o.set(name, root.deepCopy());
                    default -> {
                        // the same field twice in the text: written by hand after the object
                        String text = JSON.writeValueAsString(root);
                        String field =
                                JSON.writeValueAsString(name) + ":" + new String(token(r), StandardCharsets.UTF_8);
                        int brace = text.lastIndexOf('}');
                        return (text.substring(0, brace) + "," + field + text.substring(brace))
                                .getBytes(StandardCharsets.UTF_8);
                    }
                }
            } else if (target instanceof ArrayNode a && !a.isEmpty()) {
                int i = r.nextInt(a.size());
                switch (r.nextInt(4)) {
                    case 0 -> a.remove(i);
                    case 1 -> a.set(i, JSON.readTree(token(r)));
                    case 2 -> a.insert(i, a.get(i).deepCopy());
                    default -> {
                        for (int k = 0; k < 1 + r.nextInt(200); k++) {
                            a.add(a.get(i).deepCopy());
                        }
                    }
                }
            } else if (target instanceof ObjectNode o) {
                o.set("x", JSON.readTree(token(r)));
            } else {
                ((ArrayNode) target).add(JSON.readTree(token(r)));
            }
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            return b;
        }
    }

    private static byte[] token(Random r) {
        return TOKENS.get(r.nextInt(TOKENS.size())).getBytes(StandardCharsets.UTF_8);
    }

    private static void collect(JsonNode n, List<ContainerNode<?>> out) {
        if (n instanceof ContainerNode<?> c) {
            out.add(c);
            if (n.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                    collect(it.next().getValue(), out);
                }
            } else {
                n.forEach(child -> collect(child, out));
            }
        }
    }

    static byte[] slice(byte[] b, int from, int to) {
        byte[] out = new byte[Math.max(0, to - from)];
        System.arraycopy(b, from, out, 0, out.length);
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
