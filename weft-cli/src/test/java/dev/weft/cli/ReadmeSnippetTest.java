package dev.weft.cli;

import org.junit.jupiter.api.Test;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's Java snippets compile as written, against the runtime, so the code a newcomer copies works. */
class ReadmeSnippetTest {
    @Test void everyReadmeSnippetCompilesAsWritten() throws Exception {
        Path readme = Path.of("..", "README.md");
        var blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(readme));
        int count = 0;
        while (blocks.find()) {
            compiles(blocks.group(1));
            count++;
        }
        assertTrue(count >= 3, "the README's java blocks: " + count);
    }

    private static void compiles(String source) throws Exception {
        var name = Pattern.compile("public class (\\w+)").matcher(source);
        assertTrue(name.find(), "the snippet is a whole class:\n" + source);
        Path dir = Files.createTempDirectory("weft-readme");
        Path file = dir.resolve(name.group(1) + ".java");
        Files.writeString(file, source);
        var errors = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, errors, errors,
                "-Xlint:all", "-Werror", "-proc:none", "-d", dir.toString(),
                "-cp", System.getProperty("java.class.path"), file.toString());
        assertEquals(0, status, name.group(1) + ": " + errors.toString(StandardCharsets.UTF_8));
    }
}
