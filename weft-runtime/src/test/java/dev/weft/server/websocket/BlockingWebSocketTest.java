package dev.weft.server.websocket;

import dev.weft.client.WebSocketClient;
import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.server.RequestContext;
import dev.weft.server.Server;
import dev.weft.websocket.BlockingWebSocket;
import dev.weft.websocket.BlockingWebSocket.Message;
import dev.weft.websocket.WebSocket;
import dev.weft.websocket.WebSocketHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The blocking style against real clients: straight-line code on a virtual thread that receives
 * and sends, the request's context inside it, inbound backpressure (a flood parks in TCP, not in
 * the server's queue), and how a body's return, throw and a vanished peer end the WebSocket.
 */
@Timeout(60)
class BlockingWebSocketTest {
    private Server server;
    private EventLoopGroup clientLoops;
    private final LinkedBlockingQueue<String> seen = new LinkedBlockingQueue<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger maxQueued = new AtomicInteger();

    @BeforeEach void start() throws IOException {
        server = Server.builder().port(0).loops(2)
                .get("/upper", WebSockets.blocking(_ -> ws -> {
                    seen.add("path " + RequestContext.current().map(r -> r.path()).orElse("-")
                            + " virtual " + Thread.currentThread().isVirtual());
                    for (Optional<Message> m; (m = ws.receive()).isPresent(); ) {
                        if (m.get() instanceof Message.Text(String text)) ws.sendText(text.toUpperCase());
                    }
                    seen.add("ended " + ws.closeCode().orElse(-1));
                }))
                .get("/slow", WebSockets.blocking(_ -> ws -> {
                    release.await(30, TimeUnit.SECONDS);        // the peer floods meanwhile
                    int count = 0;
                    for (Optional<Message> m; (m = ws.receive()).isPresent(); count++) {
                        maxQueued.accumulateAndGet(ws.queued(), Math::max);
                        if (m.get() instanceof Message.Text(String text) && text.equals("last")) break;
                    }
                    ws.sendText("got " + count);
                }))
                .get("/throws", WebSockets.blocking(_ -> ws -> {
                    ws.receive();
                    throw new IllegalStateException("a bug in the body");
                }))
                .get("/waits", WebSockets.blocking(_ -> ws -> {
                    try {
                        ws.receive(Duration.ofMillis(100));
                    } catch (java.util.concurrent.TimeoutException expected) {
                        seen.add("timed out");
                    }
                    seen.add("then " + ws.receive().map(Object::toString).orElse("closed"));
                }))
                .start();
        clientLoops = EventLoopGroup.start(LoopConfig.defaults().withLoops(1));
    }

    @AfterEach void stop() {
        server.stop(Duration.ofSeconds(2));
        clientLoops.shutdown(Duration.ofSeconds(2));
    }

    private URI uri(String path) { return URI.create("ws://127.0.0.1:" + server.address().getPort() + path); }

    /** The JDK's client, collecting whole text messages. */
    private static final class Listener implements java.net.http.WebSocket.Listener {
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final StringBuilder part = new StringBuilder();

        @Override public CompletionStage<?> onText(java.net.http.WebSocket ws, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                texts.add(part.toString());
                part.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override public CompletionStage<?> onClose(java.net.http.WebSocket ws, int code, String reason) {
            closed.complete(code);
            return null;
        }
    }

    private java.net.http.WebSocket jdk(String path, Listener listener) {
        return HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(uri(path), listener).join();
    }

    @Test void straightLineCodeReceivesAndSendsInTheRequestsContext() throws Exception {
        var listener = new Listener();
        var ws = jdk("/upper", listener);
        for (String s : List.of("one", "two", "three")) ws.sendText(s, true).join();
        for (String s : List.of("ONE", "TWO", "THREE")) assertEquals(s, listener.texts.poll(10, TimeUnit.SECONDS));
        assertEquals("path /upper virtual true", seen.poll(10, TimeUnit.SECONDS));
        ws.sendClose(1000, "bye").join();
        assertEquals("ended 1000", seen.poll(10, TimeUnit.SECONDS), "receive() ends once the peer closes");
        assertEquals(1000, listener.closed.get(10, TimeUnit.SECONDS));
    }

    @Test void aFloodWaitsInTcpNotInTheServersQueue() throws Exception {
        var received = new LinkedBlockingQueue<String>();
        WebSocket ws = WebSocketClient.connect(clientLoops, uri("/slow"), WebSocketClient.Options.DEFAULTS, new WebSocketHandler() {
            @Override public void onText(WebSocket w, String text) { received.add(text); }
        }).get(10, TimeUnit.SECONDS);
        String payload = "x".repeat(1000);
        int sent = 0;
        long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        // Send while the client's own water marks let us: once the server stops reading, TCP fills and sends stall.
        CompletionStage<Void> last = CompletableFuture.completedFuture(null);
        while (sent < 20_000 && System.nanoTime() < due) {
            if (!ws.isWritable()) {
                try {
                    last.toCompletableFuture().get(500, TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.TimeoutException stalled) {
                    break;
                }
                continue;
            }
            last = ws.sendText(payload);
            sent++;
        }
        assertTrue(sent < 20_000, "the server kept reading a body that takes nothing: " + sent + " sent");
        release.countDown();
        ws.sendText("last");
        String got = received.poll(20, TimeUnit.SECONDS);
        assertEquals("got " + sent, got, "every message arrives once the body reads");
        // At most the queue plus what one read had already decoded (64 KiB of 1 KB messages) waited in memory.
        assertTrue(maxQueued.get() <= BlockingWebSocket.DEFAULT_QUEUE + 70, "queued at most " + maxQueued.get());
    }

    @Test void aBodyThatThrowsClosesWith1011() throws Exception {
        var listener = new Listener();
        var ws = jdk("/throws", listener);
        ws.sendText("boom", true).join();
        assertEquals(1011, listener.closed.get(10, TimeUnit.SECONDS));
    }

    @Test void receiveHasADeadlineAndEndsWhenThePeerVanishes() throws Exception {
        var ws = jdk("/waits", new Listener());
        assertEquals("timed out", seen.poll(10, TimeUnit.SECONDS));
        ws.abort();                                              // no Close: the TCP connection just ends
        assertEquals("then closed", seen.poll(10, TimeUnit.SECONDS));
    }
}
