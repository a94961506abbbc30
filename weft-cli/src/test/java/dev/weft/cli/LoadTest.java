package dev.weft.cli;

import dev.weft.protocol.http.Status;
import dev.weft.server.Response;
import dev.weft.server.Server;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weft load}: its options, the request it encodes, and a short run read back as wrk's output is read. */
class LoadTest {
    @Test void optionsAndTheEncodedRequest() {
        var s = Load.parse(new String[] {"-c", "8", "-d", "2s", "-t", "2", "--pipeline", "4", "-m", "POST", "-H", "X-A: 1",
                "--body", "hi", "http://127.0.0.1:9/p?q=1"});
        assertEquals(8, s.connections());
        assertEquals(Duration.ofSeconds(2), s.duration());
        assertEquals(4, s.pipeline());
        String wire = StandardCharsets.ISO_8859_1.decode(Load.encode(s)).toString();
        assertEquals("POST /p?q=1 HTTP/1.1\r\nHost: 127.0.0.1:9\r\nX-A: 1\r\nContent-Length: 2\r\n\r\nhi", wire);
        assertThrows(Options.UsageError.class, () -> Load.parse(new String[] {"--pipeline", "65", "http://x/"}));
        assertThrows(Options.UsageError.class, () -> Load.parse(new String[] {"https://x/"}));
        assertThrows(Options.UsageError.class, () -> Load.parse(new String[] {"-c", "4"}));
    }

    @Test void aShortRunAgainstWeftReportsAsWrkDoes() throws Exception {
        try (var server = Server.builder().port(0).loops(1)
                .get("/plaintext", (req, ex) -> ex.reply(Response.ok("Hello, World!")))
                .get("/missing", (req, ex) -> ex.reply(Response.text(Status.NOT_FOUND, "no\n")))
                .start()) {
            String base = "http://127.0.0.1:" + server.address().getPort();
            String report = run("-c", "4", "-d", "1", "-t", "1", "--pipeline", "2", "--quiet", base + "/plaintext");
            var rate = Pattern.compile("^Requests/sec:\\s+([0-9.]+)", Pattern.MULTILINE).matcher(report);
            assertTrue(rate.find(), report);
            assertTrue(Double.parseDouble(rate.group(1)) > 100, report);
            var total = Pattern.compile("^\\s*(\\d+) requests in ", Pattern.MULTILINE).matcher(report);
            assertTrue(total.find(), report);
            assertEquals(Long.parseLong(total.group(1)), server.counters().total().responses(), "every request counted once");
            assertTrue(Pattern.compile("^\\s+99%\\s+[0-9.]+(us|ms|s)\\s*$", Pattern.MULTILINE).matcher(report).find(), report);
            String errors = run("-c", "2", "-d", "1", "-t", "1", "--quiet", base + "/missing");
            assertTrue(errors.contains("Non-2xx or 3xx responses: "), errors);
        }
    }

    @Test void aServerThatIsNotThereIsCountedAsConnectErrors() throws Exception {
        String report = run("-c", "1", "-d", "1", "--quiet", "http://127.0.0.1:1/");
        assertTrue(report.contains("Socket errors: connect "), report);
        assertTrue(report.contains("0 requests in"), report);
    }

    private static String run(String... args) throws Exception {
        var out = new ByteArrayOutputStream();
        Load.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        return out.toString(StandardCharsets.UTF_8);
    }
}
