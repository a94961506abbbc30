package dev.weft.cli.browser;

import dev.weft.client.WebSocketClient;
import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.protocol.websocket.ClientHandshake;
import dev.weft.protocol.websocket.DeflateOptions;
import dev.weft.protocol.websocket.ServerHandshake;
import dev.weft.protocol.websocket.WebSocketLimits;
import dev.weft.server.Server;
import dev.weft.server.websocket.WebSockets;
import dev.weft.websocket.WebSocket;
import dev.weft.websocket.WebSocketHandler;
import dev.weft.websocket.WebSocketSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * node's {@code ws} package (from npm, installed as the browser tests' packages are) against Weft:
 * as a client of Weft's server, with and without permessage-deflate, and as the server for Weft's
 * client; messages of 0, 125, 126, 65,535, 65,536 bytes and 16 MiB, text and binary.
 */
@Timeout(120)
class NodeWebSocketInteropTest {
    // ws sends each message as one frame: frames of 16 MiB need a frame limit above the 1 MiB default.
    private static final WebSocketSettings BIG = WebSocketSettings.DEFAULTS.withLimits(new WebSocketLimits(32 << 20, 32L << 20));
    private static final int[] SIZES = {0, 125, 126, 65_535, 65_536, 16 << 20};

    @Test void wsClientAgainstWeftServer() throws Exception {
        var browser = Browser.require();
        var options = WebSockets.Options.DEFAULTS.withHandshake(ServerHandshake.Options.DEFAULTS.withDeflate(DeflateOptions.DEFAULTS))
                .withSession(BIG);
        try (var server = Server.builder().port(0).loops(1).get("/echo", WebSockets.route(options, _ -> new WebSocketHandler() {
                    @Override public void onText(WebSocket ws, String text) { ws.sendText(text); }
                    @Override public void onBinary(WebSocket ws, ByteBuffer bytes) { ws.sendBinary(bytes); }
                })).start()) {
            var run = browser.run("ws-interop.js", Duration.ofSeconds(90), Map.of(), "client",
                    "ws://127.0.0.1:" + server.address().getPort() + "/echo");
            var lines = run.objects();
            long echoed = lines.stream().filter(l -> Boolean.TRUE.equals(l.get("ok"))).count();
            assertEquals(2 * (2 * SIZES.length + 1), echoed, String.join("\n", run.lines()));
            assertTrue(lines.stream().anyMatch(l -> String.valueOf(l.get("negotiated")).contains("permessage-deflate")),
                    "compression was agreed when ws offered it: " + run.lines());
            assertEquals(2, lines.stream().filter(l -> Double.valueOf(1000).equals(toDouble(l.get("closed")))).count(),
                    "both closed cleanly with 1000: " + run.lines());
        }
    }

    private static Double toDouble(Object o) { return o instanceof Number n ? n.doubleValue() : null; }

    @Test void weftClientAgainstWsServer() throws Exception {
        var browser = Browser.require();
        int port;
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        var node = CompletableFuture.supplyAsync(() -> {
            try {
                return browser.run("ws-interop.js", Duration.ofSeconds(90), Map.of(), "server", Integer.toString(port));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        awaitListening(port);
        var group = EventLoopGroup.start(LoopConfig.defaults().withLoops(1));
        try {
            var received = new LinkedBlockingQueue<Object>();
            var closed = new CompletableFuture<Integer>();
            var options = WebSocketClient.Options.DEFAULTS.withHandshake(ClientHandshake.Options.DEFAULTS.withDeflate(DeflateOptions.DEFAULTS))
                    .withSession(BIG);
            WebSocket ws = WebSocketClient.connect(group, URI.create("ws://127.0.0.1:" + port + "/"), options, new WebSocketHandler() {
                @Override public void onText(WebSocket w, String text) { received.add(text); }
                @Override public void onBinary(WebSocket w, ByteBuffer bytes) { received.add(bytes); }
                @Override public void onClose(WebSocket w, int code, String reason) { closed.complete(code); }
            }).get(10, TimeUnit.SECONDS);
            for (int size : SIZES) {
                byte[] bytes = new byte[size];
                new Random(size).nextBytes(bytes);
                ws.sendBinary(ByteBuffer.wrap(bytes));
                var echoed = (ByteBuffer) received.poll(20, TimeUnit.SECONDS);
                byte[] got = new byte[echoed.remaining()];
                echoed.get(got);
                assertArrayEquals(bytes, got, "binary " + size);
                String text = "ß€".repeat(size / 5);
                ws.sendText(text);
                assertEquals(text, received.poll(20, TimeUnit.SECONDS), "text of " + size / 5 * 5 + " bytes");
            }
            ws.sendText("bye");
            assertEquals(1000, closed.get(10, TimeUnit.SECONDS));
            assertEquals(0, node.get(30, TimeUnit.SECONDS).exit());
        } finally {
            group.shutdown(Duration.ofSeconds(2));
        }
    }

    private static void awaitListening(int port) throws Exception {
        long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);       // the first run installs the node packages
        while (System.nanoTime() < due) {
            try (var s = new Socket("127.0.0.1", port)) {
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new AssertionError("ws did not listen on " + port);
    }
}
