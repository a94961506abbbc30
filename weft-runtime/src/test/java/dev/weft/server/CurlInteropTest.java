package dev.weft.server;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** curl against the server. Skipped when curl is missing, except under CI=true, where that fails. */
class CurlInteropTest {
    private static Server server;

    @BeforeAll static void start() throws Exception {
        boolean present = curlPresent();
        if (!present && "true".equals(System.getenv("CI"))) fail("curl is required under CI=true but was not found on PATH");
        assumeTrue(present, "curl not found on PATH: skipping the curl interop tests");
        server = Server.builder().port(0).loops(2)
                .get("/text", (Handler.Async) (req, ex) -> ex.reply(Response.ok("plain text")))
                .post("/count", (Handler.Blocking) req -> Response.ok(req.body().remaining() + " bytes, expect="
                        + req.headers().firstOr("expect", "none")))
                .get("/stream", (Handler.Async) (req, ex) -> {
                    var s = ex.stream(Status.OK, Headers.of("content-type", "text/plain"));
                    for (int i = 0; i < 5; i++) s.write("line " + i + "\n");
                    s.close();
                })
                .start();
    }

    @AfterAll static void stop() {
        if (server != null) server.close();
    }

    private static boolean curlPresent() {
        try {
            return new ProcessBuilder("curl", "--version").redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String url(String path) { return "http://127.0.0.1:" + server.address().getPort() + path; }

    /** Runs curl with {@code args}; returns stdout (with -i, the head too). */
    private static String curl(String... args) throws Exception {
        var cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "curl did not finish");
        assertEquals(0, p.exitValue(), "curl failed: " + out);
        return out;
    }

    @Test void get() throws Exception {
        assertEquals("plain text", curl(url("/text")));
        assertEquals("line 0\nline 1\nline 2\nline 3\nline 4\n", curl(url("/stream")));
    }

    @Test void postDataBinary(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("body.bin");
        Files.write(file, new byte[200_000]);
        assertEquals("200000 bytes, expect=none", curl("-H", "Expect:", "--data-binary", "@" + file, url("/count")));
    }

    @Test void expectContinueUpload(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.bin");
        Files.write(file, new byte[1 << 20]);
        String out = curl("-i", "-H", "Expect: 100-continue", "--data-binary", "@" + file, url("/count"));
        assertTrue(out.startsWith("HTTP/1.1 100 Continue"), out);
        assertTrue(out.endsWith("1048576 bytes, expect=100-continue"), out);
    }

    @Test void http10() throws Exception {
        String out = curl("-i", "--http1.0", url("/stream"));
        assertTrue(out.contains("Connection: close"), out);
        assertTrue(out.endsWith("line 4\n"), out);
    }

    @Test void head() throws Exception {
        String out = curl("-I", url("/text"));
        assertTrue(out.startsWith("HTTP/1.1 200 OK"), out);
        assertTrue(out.contains("Content-Length: 10"), out);
        assertTrue(!out.contains("plain text"), out);
    }
}
