package dev.weft.server.websocket;

import dev.weft.client.WebSocketClient;
import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.protocol.websocket.ClientHandshake;
import dev.weft.protocol.websocket.DeflateOptions;
import dev.weft.protocol.websocket.ServerHandshake;
import dev.weft.server.Server;
import dev.weft.websocket.WebSocket;
import dev.weft.websocket.WebSocketHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Python's websockets (Debian's python3-websockets) against Weft: as a client of Weft's server,
 * compression offered, and as the server for Weft's client. Skipped without it, except under
 * CI=true (./weft test installs it).
 */
class PythonWebSocketInteropTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final dev.weft.websocket.WebSocketSettings BIG = dev.weft.websocket.WebSocketSettings.DEFAULTS
            .withLimits(new dev.weft.protocol.websocket.WebSocketLimits(32 << 20, 32L << 20));
    @TempDir Path dir;

    private Path script() throws Exception {
        boolean present = Files.isExecutable(PYTHON)
                && new ProcessBuilder(PYTHON.toString(), "-c", "import websockets").start().waitFor() == 0;
        if (!present && "true".equals(System.getenv("CI"))) fail("python3-websockets is required under CI=true");
        assumeTrue(present, "python3-websockets not installed");
        Path script = dir.resolve("ws_peer.py");
        try (var in = getClass().getResourceAsStream("ws_peer.py")) {
            Files.copy(in, script);
        }
        return script;
    }

    @Test void pythonClientAgainstWeftServer() throws Exception {
        Path script = script();
        // websockets sends each message as one frame: frames of 16 MiB need a frame limit above the 1 MiB default.
        var deflate = WebSockets.Options.DEFAULTS.withHandshake(ServerHandshake.Options.DEFAULTS.withDeflate(DeflateOptions.DEFAULTS))
                .withSession(BIG);
        try (var server = Server.builder().port(0).loops(1).get("/echo", WebSockets.route(deflate, _ -> new WebSocketHandler() {
                    @Override public void onText(WebSocket ws, String text) { ws.sendText(text); }
                    @Override public void onBinary(WebSocket ws, ByteBuffer bytes) { ws.sendBinary(bytes); }
                })).start()) {
            Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), "client",
                    "ws://127.0.0.1:" + server.address().getPort() + "/echo").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(true, p.waitFor(60, TimeUnit.SECONDS));
            assertEquals("OK", out.strip(), out);
        }
    }

    @Test void weftClientAgainstPythonServer() throws Exception {
        Path script = script();
        Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), "server").redirectErrorStream(true).start();
        var group = EventLoopGroup.start(LoopConfig.defaults().withLoops(1));
        try (var out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String ready = out.readLine();
            assertEquals(true, ready != null && ready.startsWith("READY "), ready);
            var received = new LinkedBlockingQueue<Object>();
            var closed = new CompletableFuture<Integer>();
            var options = WebSocketClient.Options.DEFAULTS.withHandshake(ClientHandshake.Options.DEFAULTS.withDeflate(DeflateOptions.DEFAULTS))
                    .withSession(BIG);
            WebSocket ws = WebSocketClient.connect(group, URI.create("ws://127.0.0.1:" + ready.substring(6) + "/"), options,
                    new WebSocketHandler() {
                        @Override public void onText(WebSocket w, String text) { received.add(text); }
                        @Override public void onBinary(WebSocket w, ByteBuffer bytes) { received.add(bytes); }
                        @Override public void onClose(WebSocket w, int code, String reason) { closed.complete(code); }
                    }).get(10, TimeUnit.SECONDS);
            for (int size : new int[] {0, 125, 126, 65_535, 65_536, 16 << 20}) {
                byte[] bytes = new byte[size];
                new Random(size).nextBytes(bytes);
                ws.sendBinary(ByteBuffer.wrap(bytes));
                var echoed = (ByteBuffer) received.poll(20, TimeUnit.SECONDS);
                byte[] got = new byte[echoed.remaining()];
                echoed.get(got);
                assertArrayEquals(bytes, got, "binary " + size);
                String text = "ß".repeat(size / 2);
                ws.sendText(text);
                assertEquals(text, received.poll(20, TimeUnit.SECONDS), "text " + size);
            }
            ws.close(1000, "done");
            assertEquals(1000, closed.get(10, TimeUnit.SECONDS));
        } finally {
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) p.destroyForcibly();
            group.shutdown(Duration.ofSeconds(2));
        }
    }
}
