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

/** The README's Java snippet compiles as written, against the runtime, so the first code a newcomer copies works. */
class ReadmeSnippetTest {
    @Test void theReadmeSnippetCompilesAsWritten() throws Exception {
        Path readme = Path.of("..", "README.md");
        var blocks = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(Files.readString(readme));
        assertTrue(blocks.find(), "the README has a java block");
        String source = blocks.group(1);
        var name = Pattern.compile("public class (\\w+)").matcher(source);
        assertTrue(name.find(), "the snippet is a whole class");
        Path dir = Files.createTempDirectory("weft-readme");
        Path file = dir.resolve(name.group(1) + ".java");
        Files.writeString(file, source);
        var errors = new ByteArrayOutputStream();
        int status = ToolProvider.getSystemJavaCompiler().run(null, errors, errors,
                "-Xlint:all", "-Werror", "-proc:none", "-d", dir.toString(),
                "-cp", System.getProperty("java.class.path"), file.toString());
        assertEquals(0, status, errors.toString(StandardCharsets.UTF_8));
    }
}
