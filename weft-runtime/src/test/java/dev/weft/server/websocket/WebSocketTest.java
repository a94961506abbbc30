package dev.weft.server.websocket;

import dev.weft.client.WebSocketClient;
import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.protocol.websocket.ClientHandshake;
import dev.weft.protocol.websocket.DeflateOptions;
import dev.weft.protocol.websocket.ServerHandshake;
import dev.weft.server.RequestContext;
import dev.weft.server.Server;
import dev.weft.websocket.WebSocket;
import dev.weft.websocket.WebSocketHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WebSocket over real sockets: Weft's server with Weft's client and with the JDK's, echoing every size that matters. */
class WebSocketTest {
    private static final ScopedValue<String> TRACE = ScopedValue.newInstance();
    private Server server;
    private EventLoopGroup clientLoops;
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();

    /** Echoes every message; says where its callbacks ran and what context they saw. */
    private final class Echo implements WebSocketHandler {
        @Override public void onOpen(WebSocket ws) {
            events.add("open " + RequestContext.current().map(r -> r.path()).orElse("-") + " " + (TRACE.isBound() ? TRACE.get() : "-"));
        }
        @Override public void onText(WebSocket ws, String text) { ws.sendText(text); }
        @Override public void onBinary(WebSocket ws, ByteBuffer bytes) { ws.sendBinary(bytes); }
        @Override public void onClose(WebSocket ws, int code, String reason) { events.add("close " + code); }
    }

    @BeforeEach void start() throws IOException {
        var deflate = WebSockets.Options.DEFAULTS.withHandshake(ServerHandshake.Options.DEFAULTS.withDeflate(DeflateOptions.DEFAULTS));
        server = Server.builder().port(0).loops(2).carry(TRACE)
                .get("/echo", (req, ex) -> ScopedValue.where(TRACE, "traced").call(() -> {
                    WebSockets.route(_ -> new Echo()).handle(req, ex);
                    return null;
                }))
                .get("/deflate", WebSockets.route(deflate, _ -> new Echo()))
                .get("/picky", WebSockets.route(WebSockets.Options.DEFAULTS.withOriginCheck(o -> o.equals(java.util.Optional.of("https://good.example"))),
                        _ -> new Echo()))
                .start();
        clientLoops = EventLoopGroup.start(LoopConfig.defaults().withLoops(1));
    }

    @AfterEach void stop() {
        server.stop(Duration.ofSeconds(2));
        clientLoops.shutdown(Duration.ofSeconds(2));
    }

    private URI uri(String path) { return URI.create("ws://127.0.0.1:" + server.address().getPort() + path); }

    /** A client handler that hands every message to a queue. */
    private static final class Collect implements WebSocketHandler {
        final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        @Override public void onText(WebSocket ws, String text) { received.add(text); }
        @Override public void onBinary(WebSocket ws, ByteBuffer bytes) { received.add(bytes); }
        @Override public void onClose(WebSocket ws, int code, String reason) { closed.complete(code); }
    }

    @ParameterizedTest(name = "{0} bytes") @ValueSource(ints = {0, 125, 126, 65_535, 65_536, 16 << 20})
    void weftClientEchoesTextAndBinaryOfEverySize(int size) throws Exception {
        for (String path : new String[] {"/echo", "/deflate"}) {
            var collect = new Collect();
            var options = WebSocketClient.Options.DEFAULTS.withHandshake(ClientHandshake.Options.DEFAULTS.withDeflate(DeflateOptions.DEFAULTS));
            WebSocket ws = WebSocketClient.connect(clientLoops, uri(path), options, collect).get(10, TimeUnit.SECONDS);
            byte[] bytes = new byte[size];
            new Random(size).nextBytes(bytes);
            // Compressed, incompressible bytes grow a little, and the message limit (16 MiB) counts
            // the bytes received too: the compressed route gets bytes that do compress.
            if (path.equals("/deflate")) for (int i = 0; i < size; i++) bytes[i] &= 0x0f;
            try {
                ws.sendBinary(ByteBuffer.wrap(bytes)).toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError(path + " closed with " + collect.closed.getNow(-1) + " server " + events, e);
            }
            var echoed = (ByteBuffer) collect.received.poll(30, TimeUnit.SECONDS);
            if (echoed == null) throw new AssertionError(path + " no echo; closed " + collect.closed.getNow(-1) + " server " + events);
            byte[] got = new byte[echoed.remaining()];
            echoed.get(got);
            assertArrayEquals(bytes, got, path + " binary " + size);
            String text = "é".repeat(size / 2);
            ws.sendText(text);
            assertEquals(text, collect.received.poll(30, TimeUnit.SECONDS), path + " text");
            ws.close(1000, "bye");
            assertEquals(1000, collect.closed.get(10, TimeUnit.SECONDS));
        }
    }

    @Test void theHandlerRunsInTheRequestsContextAndHearsTheClose() throws Exception {
        var collect = new Collect();
        WebSocket ws = WebSocketClient.connect(clientLoops, uri("/echo"), WebSocketClient.Options.DEFAULTS, collect).get(10, TimeUnit.SECONDS);
        assertEquals("open /echo traced", events.poll(10, TimeUnit.SECONDS));
        ws.close(4000, "app says so");
        assertEquals("close 4000", events.poll(10, TimeUnit.SECONDS));
    }

    @Test void theJdkClientEchoesWholeAndFragmentedMessages() throws Exception {
        var received = new LinkedBlockingQueue<String>();
        var listener = new java.net.http.WebSocket.Listener() {
            private final StringBuilder parts = new StringBuilder();
            @Override public CompletionStage<?> onText(java.net.http.WebSocket w, CharSequence data, boolean last) {
                parts.append(data);
                if (last) {
                    received.add(parts.toString());
                    parts.setLength(0);
                }
                w.request(1);
                return null;
            }
        };
        try (var http = HttpClient.newHttpClient()) {
            var ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.address().getPort() + "/echo"), listener)
                    .get(10, TimeUnit.SECONDS);
            ws.sendText("hello", true).get(10, TimeUnit.SECONDS);
            assertEquals("hello", received.poll(10, TimeUnit.SECONDS));
            ws.sendText("frag", false).get(10, TimeUnit.SECONDS);
            ws.sendPing(ByteBuffer.wrap(new byte[] {1})).get(10, TimeUnit.SECONDS);   // a control frame between fragments
            ws.sendText("mented", true).get(10, TimeUnit.SECONDS);
            assertEquals("fragmented", received.poll(10, TimeUnit.SECONDS));
            ws.sendClose(1000, "done").get(10, TimeUnit.SECONDS);
        }
    }

    @Test void refusalsAreHttpAnswers() throws Exception {
        assertTrue(raw("/echo", "").startsWith("HTTP/1.1 426"), "not an upgrade");
        String badKey = raw("/echo", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: short\r\nSec-WebSocket-Version: 13\r\n");
        assertTrue(badKey.startsWith("HTTP/1.1 400"), badKey);
        String version = raw("/echo", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 12\r\n");
        assertTrue(version.startsWith("HTTP/1.1 426") && version.contains("13, 8, 7"), version);
        String origin = raw("/picky", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: https://evil.example\r\n");
        assertTrue(origin.startsWith("HTTP/1.1 403"), origin);
        String accepted = raw("/echo", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n");
        assertTrue(accepted.startsWith("HTTP/1.1 101") && accepted.contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), accepted);
    }

    @Test void anUnmaskedClientFrameIsAProtocolErrorAnswered1002() throws Exception {
        try (var s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /echo HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().write(new byte[] {(byte) 0x81, 0x02, 'h', 'i'});     // unmasked: forbidden from a client
            byte[] all = s.getInputStream().readAllBytes();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            int body = text.indexOf("\r\n\r\n") + 4;
            assertEquals((byte) 0x88, all[body], "a Close frame");
            assertEquals(1002, ((all[body + 2] & 0xff) << 8) | (all[body + 3] & 0xff));
        }
        assertEquals("close 1002", events.stream().filter(e -> e.startsWith("close")).findFirst().orElse(""));
    }

    private String raw(String path, String fields) throws IOException {
        try (var s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: t\r\n" + fields + "\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] buf = new byte[4096];
            int n = s.getInputStream().read(buf);
            return new String(buf, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1);
        }
    }
}
