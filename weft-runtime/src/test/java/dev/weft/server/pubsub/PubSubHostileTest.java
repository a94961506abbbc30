package dev.weft.server.pubsub;

import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.pubsub.Broker;
import dev.weft.pubsub.TopicLimits;
import dev.weft.pubsub.Topics;
import dev.weft.server.Server;
import dev.weft.testing.AdversePeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Subscribers and publishers that misbehave: one that stops reading (its policy applies, memory
 * stays flat, the others get everything), fifteen thousand that stop reading at once, one that
 * lies about a length, one that vanishes, ids from the future. Real sockets on 127.0.0.1.
 */
@Timeout(120)
class PubSubHostileTest {
    private EventLoopGroup loops;
    private Topics topics;
    private PubSubRoutes routes;
    private Server server;

    @AfterEach void stop() {
        if (server != null) server.stop(Duration.ofSeconds(2));
        if (topics != null) topics.close();
        if (loops != null) loops.shutdown(Duration.ofSeconds(2));
    }

    private void start(TopicLimits limits, PubSubOptions options) throws IOException {
        loops = EventLoopGroup.start(LoopConfig.defaults().withLoops(2));
        topics = Topics.on(loops, limits);
        routes = PubSubRoutes.of(topics, options);
        server = Server.builder().group(loops).port(0).backlog(4096)
                .any("/pub/{channel}", routes.publisher(r -> r.pathParam("channel")))
                .any("/sub/{channel}", routes.subscriber(r -> r.pathParam("channel")))
                .start();
    }

    private void publish(String channel, byte[] body) {
        for (;;) {
            if (topics.publish(channel, "text/plain", ByteBuffer.wrap(body)) instanceof Broker.Published.Accepted) return;
            Thread.onSpinWait();                                      // a loop behind: wait, as a publisher told 503 would
        }
    }

    private static void await(String what, BooleanSupplier condition, int seconds) throws InterruptedException {
        long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < due, "timed out waiting for " + what);
            Thread.sleep(10);
        }
    }

    private static AdversePeer eventStream(Server server, String channel, int receiveBuffer) throws IOException {
        var peer = AdversePeer.connect(server.address(), receiveBuffer);
        peer.send("GET /sub/" + channel + " HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n");
        while (!peer.readLine().isEmpty()) { /* the head */ }
        assertEquals(": hi", peer.readLine());
        assertEquals("", peer.readLine());
        return peer;
    }

    private static long heapAfterGc() {
        var runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    /** The dashboard's per-connection figures: TCP_INFO where the transport reads it, -1 where it cannot. */
    @Test void theSlowestSubscribersCarryTheirConnectionsRoundTripAndWindow() throws Exception {
        start(TopicLimits.DEFAULTS, PubSubOptions.DEFAULTS);
        try (var peer = eventStream(server, "rtt", 0)) {
            publish("rtt", "one".getBytes(StandardCharsets.US_ASCII));
            assertEquals("id: ", peer.readLine().substring(0, 4));
            boolean native_ = server.info().transport().equals("epoll");
            routes.stats(5);                                      // asks the loop for a sample
            await("a TCP_INFO sample", () -> {
                var lag = routes.stats(5).slowest().getFirst();
                return native_ ? lag.rttMicros() > 0 && lag.congestionWindow() > 0 : lag.rttMicros() == -1;
            }, 10);
        }
    }

    @Test void aSubscriberThatStopsReadingIsEndedAndTheOthersGetEverything() throws Exception {
        start(TopicLimits.DEFAULTS, PubSubOptions.DEFAULTS);
        byte[] body = "x".repeat(2048).getBytes(StandardCharsets.US_ASCII);
        try (var stalled = eventStream(server, "s", 4096); var reader = eventStream(server, "s", 0)) {
            var got = new AtomicInteger();
            var readerThread = Thread.ofPlatform().start(() -> {
                try {
                    for (;;) {
                        String line = reader.readLine();
                        if (line.startsWith("data: ")) got.incrementAndGet();
                    }
                } catch (IOException end) {
                    // the test closed it
                }
            });
            await("two subscribers", () -> routes.stats(0).eventSources() == 2, 10);
            long before = heapAfterGc();
            int sent = 0;
            while (routes.stats(0).eventSources() == 2 && sent < 40_000) {
                for (int i = 0; i < 100; i++) publish("s", body);
                sent += 100;
                int target = sent;
                await("the reader keeps up", () -> got.get() >= target, 20);
            }
            assertEquals(1, routes.stats(0).eventSources(), "the stalled subscriber was ended after " + sent + " messages");
            long after = heapAfterGc();
            assertTrue(after - before < 8 << 20, "heap grew by " + (after - before) + " bytes");
            for (int i = 0; i < 50; i++) publish("s", body);
            int target = sent + 50;
            await("the reader goes on", () -> got.get() == target, 20);
            reader.close();
            readerThread.join(5_000);
            assertTrue(stalled.readToEnd().length > 0, "the stalled one's connection is closed by the server");
        }
    }

    @Test void aWebSocketSubscriberThatStopsReadingIsEndedToo() throws Exception {
        start(TopicLimits.DEFAULTS, PubSubOptions.DEFAULTS.withQueue(32, 256 << 10, dev.weft.pubsub.OverflowPolicy.DISCONNECT));
        try (var stalled = AdversePeer.connect(server.address(), 4096)) {
            stalled.send("GET /sub/w HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertTrue(stalled.readLine().startsWith("HTTP/1.1 101"));
            await("a WebSocket subscriber", () -> routes.stats(0).webSockets() == 1, 10);
            byte[] body = "y".repeat(4096).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 20_000 && routes.stats(0).webSockets() == 1; i++) publish("w", body);
            assertEquals(0, routes.stats(0).webSockets(), "ended once its queue overflowed");
        }
    }

    @Test void aPublisherThatLiesAboutItsLengthPublishesNothing() throws Exception {
        start(TopicLimits.DEFAULTS.withMaxMessageBytes(1024), PubSubOptions.DEFAULTS);
        try (var liar = AdversePeer.connect(server.address())) {
            liar.send("POST /pub/l HTTP/1.1\r\nHost: t\r\nContent-Length: 2000000\r\n\r\nabc");
            assertEquals("HTTP/1.1 413 Content Too Large", liar.readLine(), "refused on the head, before the body");
        }
        try (var vanisher = AdversePeer.connect(server.address())) {
            vanisher.send("POST /pub/l HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nonly ten b");
        }
        Thread.sleep(200);
        assertTrue(topics.info("l").isEmpty() || topics.info("l").get().messages() == 0, "a body that never came is not a message");
    }

    @Test void aLongPollFromTheFutureWaitsForTheNextMessage() throws Exception {
        start(TopicLimits.DEFAULTS, PubSubOptions.DEFAULTS);
        publish("f", "now".getBytes(StandardCharsets.US_ASCII));
        try (var peer = AdversePeer.connect(server.address())) {
            peer.send("GET /sub/f HTTP/1.1\r\nHost: t\r\nLast-Event-ID: 4102444800:7\r\n\r\n");
            await("parked", () -> routes.stats(0).longPolls() == 1, 10);
            publish("f", "next".getBytes(StandardCharsets.US_ASCII));
            assertEquals("HTTP/1.1 200 OK", peer.readLine());
        }
    }

    @Test void floodsOfSubscribersAndChannelsMeetTheirLimits() throws Exception {
        start(TopicLimits.DEFAULTS.withMaxSubscribers(50).withMaxTopics(20), PubSubOptions.DEFAULTS);
        var peers = new ArrayList<AdversePeer>();
        try {
            for (int i = 0; i < 50; i++) peers.add(eventStream(server, "full", 0));
            await("fifty", () -> routes.stats(0).eventSources() == 50, 10);
            try (var one = AdversePeer.connect(server.address())) {
                one.send("GET /sub/full HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n\r\n");
                assertEquals("HTTP/1.1 403 Forbidden", one.readLine(), "the fifty-first");
            }
            for (int i = 0; i < 19; i++) publish("c" + i, new byte[1]);
            try (var one = AdversePeer.connect(server.address())) {
                one.send("POST /pub/c-too-many HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx");
                assertEquals("HTTP/1.1 503 Service Unavailable", one.readLine(), "the twenty-first channel");
            }
        } finally {
            for (var p : peers) p.close();
        }
        await("all gone", () -> routes.stats(0).eventSources() == 0, 10);
    }

    /**
     * Fifteen thousand EventSource subscribers, in a child JVM, that never read: the server ends
     * each once its queue overflows, its heap comes back to where it was, and it goes on serving.
     */
    @Test @Timeout(240) void fifteenThousandSubscribersThatStopReading() throws Exception {
        int n = 15_000;
        start(TopicLimits.DEFAULTS, PubSubOptions.DEFAULTS.withQueue(16, 64 << 10, dev.weft.pubsub.OverflowPolicy.DISCONNECT)
                .withHeartbeat(Duration.ZERO));
        long before = heapAfterGc();
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process clients = new ProcessBuilder(java, "-Xss256k", "-cp", System.getProperty("java.class.path"),
                StalledSubscribers.class.getName(), Integer.toString(server.address().getPort()), Integer.toString(n), "mass")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var out = new BufferedReader(new InputStreamReader(clients.getInputStream(), StandardCharsets.US_ASCII))) {
            assertEquals("SENT", out.readLine());
            await(n + " subscribers", () -> routes.stats(0).eventSources() == n, 60);
            long connected = heapAfterGc();
            byte[] body = "z".repeat(4096).getBytes(StandardCharsets.US_ASCII);
            long peak = 0;
            var runtime = Runtime.getRuntime();
            for (int i = 0; i < 400 && routes.stats(0).eventSources() > 0; i++) {
                publish("mass", body);
                if (i % 20 == 0) {
                    Thread.sleep(50);
                    peak = Math.max(peak, runtime.totalMemory() - runtime.freeMemory());
                }
            }
            await("every stalled subscriber ended", () -> routes.stats(0).eventSources() == 0, 120);
            await("their connections closed", () -> server.counters().total().connectionsOpen() == 0, 60);
            long after = heapAfterGc();
            System.out.printf("15,000 stalled SSE subscribers: heap after GC %d MiB before, %d MiB connected, %d MiB after;"
                    + " peak sampled %d MiB%n", before >> 20, connected >> 20, after >> 20, peak >> 20);
            assertTrue(after - before < 32 << 20, "heap came back: " + ((after - before) >> 20) + " MiB over");
            try (var fresh = eventStream(server, "mass?last_event_id=" + lastId(), 0)) {
                publish("mass", "still here".getBytes(StandardCharsets.US_ASCII));
                assertEquals("id: " + lastId(), fresh.readLine(), "and it goes on serving");
                assertEquals("data: still here", fresh.readLine());
            }
        } finally {
            clients.getOutputStream().close();
            clients.destroyForcibly();
            clients.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private String lastId() {
        var info = topics.info("mass").orElseThrow();
        return info.lastSeconds() + ":" + info.lastTag();
    }
}
