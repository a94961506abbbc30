package dev.weft.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class OptionsTest {
    @Test
    void defaultsAndOverrides() {
        var o = Options.parse(new String[0], 8080);
        assertEquals(new Options("127.0.0.1", 8080, Runtime.getRuntime().availableProcessors()), o);
        assertEquals(new Options("0.0.0.0", 9, 3), Options.parse(new String[] {"--host", "0.0.0.0", "--port", "9", "--loops", "3"}, 8080));
    }

    @Test
    void mistakesAreUsageErrors() {
        for (String[] bad : new String[][] {{"--port"}, {"--port", "x"}, {"--port", "70000"}, {"--loops", "0"}, {"--what"}}) {
            assertThrows(Options.UsageError.class, () -> Options.parse(bad, 8080), String.join(" ", bad));
        }
    }
}
