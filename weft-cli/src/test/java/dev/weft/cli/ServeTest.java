package dev.weft.cli;

import dev.weft.server.AccessLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weft serve}: its options, its help, and its access log in Common Log Format. */
class ServeTest {
    @TempDir Path dir;

    @Test void optionsAreParsedAndEachIsExplainedInTheHelp() {
        var s = Serve.parse(new String[] {dir.toString(), "--port", "0", "--host", "127.0.0.1", "--loops", "1", "--no-listing",
                "--hidden", "--follow-links", "--cache-control", "max-age=60", "--no-precompressed", "--quiet"});
        assertEquals(dir, s.dir());
        assertEquals(0, s.net().port());
        assertTrue(!s.listing() && s.hidden() && s.followLinks() && !s.precompressed() && s.quiet());
        assertEquals("max-age=60", s.cacheControl());
        for (String option : new String[] {"--host", "--port", "--loops", "--no-listing", "--hidden", "--follow-links",
                "--cache-control", "--no-precompressed", "--quiet", "--help"}) {
            assertTrue(Serve.HELP.contains(option), option + " is explained");
        }
        assertThrows(Options.UsageError.class, () -> Serve.parse(new String[] {"--bogus"}));
        assertThrows(Options.UsageError.class, () -> Serve.parse(new String[] {dir.resolve("missing").toString()}));
    }

    @Test void everyRequestIsOneCommonLogFormatLine() throws Exception {
        Files.writeString(dir.resolve("hello.txt"), "hello");
        var captured = new ByteArrayOutputStream();
        var log = new AccessLogWriter(new PrintStream(captured, true, StandardCharsets.UTF_8));
        var settings = Serve.parse(new String[] {dir.toString(), "--port", "0", "--loops", "1"});
        try (var server = Serve.build(settings, log).start(); var client = HttpClient.newHttpClient()) {
            String base = "http://127.0.0.1:" + server.address().getPort();
            assertEquals("hello", client.send(HttpRequest.newBuilder(URI.create(base + "/hello.txt")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertEquals(404, client.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
        log.close();
        var lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), String.valueOf(lines));
        var clf = Pattern.compile("127\\.0\\.0\\.1 - - \\[\\d{2}/\\w{3}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] \"GET /hello\\.txt HTTP/1\\.1\" 200 5");
        assertTrue(clf.matcher(lines.get(0)).matches(), lines.get(0));
        assertTrue(lines.get(1).endsWith("\"GET /nope HTTP/1.1\" 404 10"), lines.get(1));
    }

    @Test void aQuotedRequestLineCannotForgeFields() {
        var e = new AccessLog.Entry(new InetSocketAddress("127.0.0.1", 1), "GET", "/a\"b", "HTTP/1.1", 200, 0, 0, 0);
        assertTrue(AccessLogWriter.format(e).endsWith("\"GET /a%22b HTTP/1.1\" 200 -"), AccessLogWriter.format(e));
    }
}
