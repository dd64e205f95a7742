package io.shuttlebridge.core.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keeps the README's code examples and the tests that run them the same code: a test marks its copy
 * between {@code // --- README example start} and {@code // --- README example end}, and {@link
 * #assertInReadme} fails when the README's Java block under the given heading says anything else
 * (whitespace aside, since the test is formatted by the build and the README by hand).
 */
public final class ReadmeSnippets {
    private static final Pattern MARKED =
            Pattern.compile("// --- README example start\\R(.*?)// --- README example end", Pattern.DOTALL);

    private ReadmeSnippets() {}

    /**
     * Asserts that the code marked in {@code testSource} (a path from the module's folder, where tests
     * run) is the first Java block after the README heading {@code heading}.
     */
    public static void assertInReadme(String testSource, String heading) {
        Path readme = Path.of("..", "README.md");
        String marked = marked(read(Path.of(testSource)), testSource);
        String block = javaBlockAfter(read(readme), heading);
        assertThat(squeeze(block))
                .as("the README's example under '" + heading + "' differs from the code " + testSource
                        + " runs; make them the same:\n--- README\n" + block + "\n--- test\n" + marked)
                .isEqualTo(squeeze(marked));
    }

    private static String marked(String source, String name) {
        Matcher m = MARKED.matcher(source);
        assertThat(m.find()).as(name + " marks no README example").isTrue();
        return m.group(1);
    }

    private static String javaBlockAfter(String readme, String heading) {
        int at = readme.indexOf("\n" + heading + "\n");
        assertThat(at).as("README heading '" + heading + "'").isNotNegative();
        int start = readme.indexOf("```java\n", at);
        assertThat(start).as("a Java block after '" + heading + "'").isNotNegative();
        int end = readme.indexOf("\n```", start + 8);
        return readme.substring(start + 8, end);
    }

    private static String squeeze(String code) {
        return code.replaceAll("\\s+", "");
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
