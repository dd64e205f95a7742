package io.shuttlebridge.testkit.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's testkit example is {@link NotesSyncTest}: the code block under "Testing your app
 * with the testkit" must be that file between its markers (whitespace aside), so what the README
 * shows is what the build compiles and runs.
 */
class ReadmeExamplesTest {
    private static final String START = "// --- README testkit example start";
    private static final String END = "// --- README testkit example end";

    @Test
    void theReadmeShowsTheTestThatRuns() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/shuttlebridge/testkit/readme/NotesSyncTest.java"));
        String example = source.substring(source.indexOf(START) + START.length(), source.indexOf(END));

        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("## Testing your app with the testkit");
        assertThat(section).as("the README's testkit section").isNotNegative();
        int from = readme.indexOf("```java", section) + "```java".length();
        String block = readme.substring(from, readme.indexOf("```", from));

        assertThat(withoutWhitespace(block))
                .as("the README's testkit example differs from NotesSyncTest; the README shows:%n%s", block)
                .isEqualTo(withoutWhitespace(example));
    }

    private static String withoutWhitespace(String code) {
        return code.replaceAll("\\s+", "");
    }
}
