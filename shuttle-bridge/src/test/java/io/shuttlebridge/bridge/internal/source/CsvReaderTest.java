package io.shuttlebridge.bridge.internal.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CsvReaderTest {

    static List<List<String>> read(String text, Charset charset, char delimiter) throws IOException {
        List<List<String>> out = new ArrayList<>();
        try (CsvReader r = new CsvReader(new ByteArrayInputStream(text.getBytes(charset)), charset, delimiter)) {
            String[] row;
            while ((row = r.next()) != null) {
                out.add(List.of(row));
            }
        }
        return out;
    }

    @Test
    void quotesLineBreaksAndBlankLines() throws IOException {
        String csv = "\uFEFFid;name;note\r\n1;\"Meier; Anna\";\"said \"\"hi\"\"\"\n\n2;Müller;\"two\nlines\"\r3;;\n4;x";
        assertThat(read(csv, StandardCharsets.UTF_8, ';'))
                .containsExactly(
                        List.of("id", "name", "note"),
                        List.of("1", "Meier; Anna", "said \"hi\""),
                        List.of("2", "Müller", "two\nlines"),
                        List.of("3", "", ""),
                        List.of("4", "x"));
        assertThat(read("a,b\n1,Gr\u00fc\u00dfe\n", Charset.forName("windows-1252"), ','))
                .containsExactly(List.of("a", "b"), List.of("1", "Grüße"));
    }

    @Test
    void malformedQuotesAreReported() {
        assertThatThrownBy(() -> read("a\n\"open", StandardCharsets.UTF_8, ','))
                .hasMessageContaining("unterminated quoted field starting on line 2");
        assertThatThrownBy(() -> read("a\n\"x\"y\n", StandardCharsets.UTF_8, ','))
                .hasMessageContaining("after a closing quote on line 2");
    }

    @Test
    void randomRecordsRoundTripAcrossBufferBoundaries() throws IOException {
        long seed = System.nanoTime();
        System.out.println("CsvReaderTest.randomRecordsRoundTripAcrossBufferBoundaries seed=" + seed);
        SplittableRandom random = new SplittableRandom(seed);
        List<List<String>> rows = new ArrayList<>();
        StringBuilder csv = new StringBuilder();
        for (int r = 0; r < 5000; r++) {
            List<String> row = new ArrayList<>();
            int n = random.nextInt(1, 6);
            for (int f = 0; f < n; f++) {
                String v = field(random);
                row.add(v);
                if (f > 0) {
                    csv.append(',');
                }
                boolean quote = v.isEmpty()
                        ? random.nextBoolean()
                        : v.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n' || c == '\r')
                                || random.nextInt(5) == 0;
                csv.append(quote ? '"' + v.replace("\"", "\"\"") + '"' : v);
            }
            if (n == 1 && row.get(0).isEmpty() && (csv.isEmpty() || csv.charAt(csv.length() - 1) != '"')) {
                csv.append("\"\""); // a lone empty unquoted field would be a blank line
            }
            csv.append(random.nextBoolean() ? "\n" : "\r\n");
            rows.add(row);
        }
        assertThat(read(csv.toString(), StandardCharsets.UTF_8, ',')).isEqualTo(rows);
    }

    private static String field(SplittableRandom random) {
        String chars = "abcXYZ019 ,\"\n\réü€";
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(random.nextInt(10) == 0 ? 200 : 12);
        for (int i = 0; i < n; i++) {
            s.append(chars.charAt(random.nextInt(chars.length())));
        }
        String v = s.toString();
        return v.contains("\r") ? v.replace("\r", "\r\n") : v;
    }
}
