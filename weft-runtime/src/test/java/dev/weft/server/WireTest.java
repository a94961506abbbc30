package dev.weft.server;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.testing.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HTTP/1.1 over raw sockets: pipelining, splits, slow and vanishing peers, backpressure, violations. */
class WireTest {
    private static Server.Builder base() {
        return Server.builder().port(0).loops(2)
                .get("/hello", (Handler.Async) (req, ex) -> ex.reply(Response.ok("hello")))
                .post("/echo", Handler.buffered((req, ex) -> ex.reply(Response.text(Status.OK, req.bodyText()))));
    }

    /**
     * A reader that pauses on the body's last piece and resumes later from another thread still
     * gets onEnd, although the client has sent everything and stays silent: the parser owes an
     * EndOfMessage that needs no new bytes (found as a 1-in-20 hung upload under load).
     */
    @Test void aBodyPausedOnItsLastPieceEndsWhenResumed() throws Exception {
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try (var server = base().post("/pause", (Handler.Async) (req, ex) -> ex.readBody(new BodyReader() {
                    final StringBuilder got = new StringBuilder();
                    @Override public boolean onBytes(java.nio.ByteBuffer piece) {
                        got.append(StandardCharsets.US_ASCII.decode(piece));
                        later.schedule(ex::resumeBody, 20, TimeUnit.MILLISECONDS);
                        return false;                             // pause after every piece, the last one too
                    }
                    @Override public void onEnd(Headers trailers) { ex.reply(Response.ok("got " + got)); }
                    @Override public void onFailure(Throwable cause) { }
                })).start();
             var wire = Wire.connect(server.address())) {
            for (int i = 0; i < 3; i++) {
                wire.send("POST /pause HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
                assertEquals("got hello", wire.read().text());
            }
        } finally {
            later.shutdownNow();
        }
    }

    @Test void hundredPipelinedRequestsAnsweredInOrder() throws Exception {
        ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
        try (var server = base().get("/seq/{i}", (Handler.Async) (req, ex) -> {
                int i = Integer.parseInt(req.pathParam("i"));
                if (i % 3 == 0) later.schedule(() -> ex.reply(Response.ok("" + i)), 30 - i % 30, TimeUnit.MILLISECONDS);
                else ex.reply(Response.ok("" + i));                      // later requests finish first
            }).start();
             var wire = Wire.connect(server.address())) {
            var all = new StringBuilder();
            for (int i = 0; i < 100; i++) all.append("GET /seq/").append(i).append(" HTTP/1.1\r\nHost: t\r\n\r\n");
            wire.send(all.toString());
            for (int i = 0; i < 100; i++) assertEquals("" + i, wire.read().text());
            assertEquals(100, server.counters().total().responses());
        } finally {
            later.shutdownNow();
        }
    }

    @Test void requestSentOneByteAtATime() throws Exception {
        try (var server = base().start(); var wire = Wire.connect(server.address())) {
            byte[] req = "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nabcde".getBytes(StandardCharsets.US_ASCII);
            for (byte b : req) wire.send(new byte[] {b});
            assertEquals("abcde", wire.read().text());
            assertEquals("hello", wire.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
        }
    }

    @Test void slowClientHitsTheHeadDeadlineWhileAnotherIsServed() throws Exception {
        var timeouts = ServerTimeouts.DEFAULTS.withRequestHead(Duration.ofMillis(300));
        try (var server = base().timeouts(timeouts).start();
             var slow = Wire.connect(server.address()); var fast = Wire.connect(server.address())) {
            var stop = new AtomicBoolean();
            var trickle = Thread.ofPlatform().start(() -> {                      // slowloris: a byte every 20 ms
                try {
                    slow.send("GET /hello HTTP/1.1\r\nHost: t\r\nX-Slow: ");
                    while (!stop.get() && slow.socket.getInputStream().available() == 0) {   // until answered
                        slow.send("a");
                        Thread.sleep(20);
                    }
                } catch (IOException | InterruptedException closed) {
                    // the server closed it: expected
                }
            });
            int served = 0;
            while (trickle.isAlive() && served < 10_000) {
                assertEquals("hello", fast.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
                served++;
                if (served > 5) Thread.sleep(10);
            }
            stop.set(true);
            trickle.join(10_000);
            var reply = slow.read();
            assertEquals(408, reply.status());
            assertTrue(slow.closedByPeer());
            assertTrue(served > 0);
            assertEquals(1, server.counters().total().deadlines(Deadline.REQUEST_HEAD));
            assertEquals("hello", fast.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
        }
    }

    @Test void upgradeWithoutARouteGetsAnOrdinaryResponse() throws Exception {
        try (var server = base().start(); var wire = Wire.connect(server.address())) {
            var r = wire.send("GET /hello HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n").read();
            assertEquals(200, r.status());
            assertEquals("hello", wire.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().text(), "still HTTP/1.1");
        }
    }

    @Test void idleKeepAliveAndStalledBodyDeadlinesCloseOnlyTheirConnection() throws Exception {
        var timeouts = ServerTimeouts.DEFAULTS.withKeepAliveIdle(Duration.ofMillis(200)).withRequestBody(Duration.ofMillis(200));
        try (var server = base().timeouts(timeouts).start();
             var idle = Wire.connect(server.address()); var stalled = Wire.connect(server.address())) {
            assertEquals("hello", idle.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
            var r = stalled.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc").read();
            assertEquals(408, r.status());
            assertTrue(stalled.closedByPeer());
            assertTrue(idle.closedByPeer());
            var counts = server.counters().total();
            assertEquals(1, counts.deadlines(Deadline.KEEP_ALIVE_IDLE));
            assertEquals(1, counts.deadlines(Deadline.REQUEST_BODY));
            try (var fresh = Wire.connect(server.address())) {
                assertEquals("hello", fresh.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
            }
        }
    }

    @Test void pausedReaderHoldsBackAnUpload() throws Exception {
        var exchange = new CompletableFuture<Exchange>();
        var received = new AtomicLong();
        var done = new CompletableFuture<Long>();
        var paused = new AtomicBoolean(true);
        try (var server = base().post("/slow-sink", (Handler.Async) (req, ex) -> {
                ex.readBody(new BodyReader() {
                    @Override public boolean onBytes(ByteBuffer piece) {
                        received.addAndGet(piece.remaining());
                        return !paused.get();
                    }
                    @Override public void onEnd(Headers trailers) {
                        done.complete(received.get());
                        ex.reply(Response.ok("got " + received.get()));
                    }
                    @Override public void onFailure(Throwable cause) { done.completeExceptionally(cause); }
                });
                exchange.complete(ex);
            }).start();
             var wire = Wire.connect(server.address())) {
            long size = 32L << 20;
            var sent = new AtomicLong();
            var uploader = Thread.ofPlatform().start(() -> {
                try {
                    wire.send("POST /slow-sink HTTP/1.1\r\nHost: t\r\nContent-Length: " + size + "\r\n\r\n");
                    byte[] chunk = new byte[64 << 10];
                    for (long n = 0; n < size; n += chunk.length) {
                        wire.send(chunk);
                        sent.addAndGet(chunk.length);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Exchange ex = exchange.get(10, TimeUnit.SECONDS);
            long last = -1;
            for (int still = 0; still < 10; still = sent.get() == last ? still + 1 : 0) {   // until the uploader is stuck
                last = sent.get();
                Thread.sleep(30);
            }
            assertTrue(uploader.isAlive() && sent.get() < size, "the uploader is held back by TCP flow control");
            long read = server.counters().total().bytesRead();
            assertTrue(read < 16L << 20, "the server stopped reading: " + read);
            paused.set(false);
            ex.resumeBody();
            assertEquals(size, done.get(30, TimeUnit.SECONDS));
            uploader.join(10_000);
            assertEquals("got " + size, wire.read().text());
        }
    }

    @Test void clientThatVanishesMidResponseHarmsNothing() throws Exception {
        var cancelled = new CompletableFuture<Boolean>();
        var producerSawClosed = new CompletableFuture<Boolean>();
        try (var logs = LogCapture.start();
             var server = base().get("/big", (Handler.Async) (req, ex) -> {
                 ex.onCancel(() -> cancelled.complete(true));
                 var s = ex.stream(Status.OK, new Headers());
                 Thread.ofPlatform().start(() -> {
                     byte[] piece = new byte[32 << 10];
                     try {
                         while (s.isOpen()) s.write(ByteBuffer.wrap(piece)).toCompletableFuture().get(10, TimeUnit.SECONDS);
                     } catch (Exception gone) {
                         // the write's stage failed: the client left
                     }
                     producerSawClosed.complete(!s.isOpen());
                 });
             }).start()) {
            try (var wire = Wire.connect(server.address())) {
                wire.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n");
                wire.socket.getInputStream().readNBytes(100_000);
                wire.socket.setSoLinger(true, 0);                                // vanish with a reset
            }
            assertTrue(cancelled.get(10, TimeUnit.SECONDS));
            assertTrue(producerSawClosed.get(10, TimeUnit.SECONDS));
            try (var wire = Wire.connect(server.address())) {
                assertEquals("hello", wire.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
            }
            assertEquals(java.util.List.of(), logs.errors());
        }
    }

    @Test void clientThatNeverReadsHoldsTheProducerBack() throws Exception {
        var stream = new CompletableFuture<ResponseStream>();
        var socket = new Socket();
        try (var server = base().get("/flood", (Handler.Async) (req, ex) -> stream.complete(ex.stream(Status.OK, new Headers())))
                .start()) {
            socket.setReceiveBufferSize(32 << 10);
            socket.connect(server.address());
            socket.getOutputStream().write("GET /flood HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            ResponseStream s = stream.get(10, TimeUnit.SECONDS);
            byte[] piece = new byte[16 << 10];
            var written = new AtomicLong();
            CompletionStage<Void> last = null;
            int quiet = 0;                                         // polls in a row that found it not ready
            for (long due = System.nanoTime() + 20_000_000_000L; quiet < 10 && System.nanoTime() < due; ) {
                if (s.isReady()) {
                    last = s.write(ByteBuffer.wrap(piece));
                    written.addAndGet(piece.length);
                    quiet = 0;
                } else {
                    Thread.sleep(20);
                    quiet++;
                }
            }
            assertFalse(s.isReady(), "a client that never reads must hold the producer back");
            var stage = last.toCompletableFuture();
            Thread.sleep(200);                                                   // let the loop settle; state, not speed
            assertFalse(stage.isDone(), "the last write's stage waits for the socket to drain");
            int hwm = dev.weft.net.ConnectionOptions.defaults().highWaterMark();
            // the connection's queue stops at the mark plus a piece, and bytes still in tasks at the mark plus a piece
            assertTrue(s.pendingBytes() <= 2L * (hwm + piece.length), "pending " + s.pendingBytes() + " near the high-water mark " + hwm);
            assertTrue(written.get() < 64L << 20, "bounded: " + written.get());
            socket.setSoLinger(true, 0);
            socket.close();
            try {
                stage.get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException expected) {
                assertTrue(expected.getCause() instanceof IOException);
            }
            waitUntil(() -> !s.isOpen(), 10_000);
            assertFalse(s.isOpen());
        } finally {
            socket.close();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, long millis) throws InterruptedException {
        long due = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean() && System.nanoTime() < due) Thread.sleep(5);
    }

    static Stream<Arguments> violations() {
        String big = "a".repeat(70 << 10);
        var many = new StringBuilder();
        for (int i = 0; i < 201; i++) many.append("X-").append(i).append(": v\r\n");
        return Stream.of(
                Arguments.of("length and chunked", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
                Arguments.of("request line too long", "GET /" + "a".repeat(9000) + " HTTP/1.1\r\nHost: t\r\n\r\n", 414),
                Arguments.of("header section too large", "GET /hello HTTP/1.1\r\nHost: t\r\nX-Big: " + big + "\r\n\r\n", 431),
                Arguments.of("too many fields", "GET /hello HTTP/1.1\r\nHost: t\r\n" + many + "\r\n", 431),
                Arguments.of("HTTP/2.0 on the wire", "GET /hello HTTP/2.0\r\nHost: t\r\n\r\n", 505),
                Arguments.of("missing Host", "GET /hello HTTP/1.1\r\n\r\n", 400),
                Arguments.of("two Hosts", "GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                Arguments.of("obs-fold", "GET /hello HTTP/1.1\r\nHost: t\r\nX: a\r\n b\r\n\r\n", 400),
                Arguments.of("space before colon", "GET /hello HTTP/1.1\r\nHost : t\r\n\r\n", 400),
                Arguments.of("bad Content-Length", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 12a\r\n\r\n", 400),
                Arguments.of("unknown coding", "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
                Arguments.of("body too large", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 99999999\r\n\r\n", 413),
                Arguments.of("bad chunk size", "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
                Arguments.of("bad method", "G@T /hello HTTP/1.1\r\nHost: t\r\n\r\n", 400),
                Arguments.of("garbage", "\u0001\u0002\u0003 nonsense\r\n\r\n", 400),
                Arguments.of("Host with a space", "GET /hello HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
                Arguments.of("Host with a path", "GET /hello HTTP/1.1\r\nHost: x/../admin\r\n\r\n", 400),
                Arguments.of("Host with userinfo", "GET /hello HTTP/1.1\r\nHost: evil@x\r\n\r\n", 400),
                Arguments.of("Host with a huge port", "GET /hello HTTP/1.1\r\nHost: x:99999999\r\n\r\n", 400),
                Arguments.of("Host as a list", "GET /hello HTTP/1.1\r\nHost: a, b\r\n\r\n", 400),
                Arguments.of("absolute form with userinfo", "GET http://evil@x/hello HTTP/1.1\r\nHost: x\r\n\r\n", 400));
    }

    @ParameterizedTest(name = "{0} -> {2}") @MethodSource("violations")
    void violationsAreAnsweredAndClosed(String name, String request, int status) throws Exception {
        try (var logs = LogCapture.start(); var server = base().start(); var wire = Wire.connect(server.address())) {
            var reply = wire.send(request).read();
            assertEquals(status, reply.status(), name + ": " + reply.text());
            assertTrue(reply.text().contains("RFC"), "the body names the rule broken: " + reply.text());
            assertEquals("close", reply.header("connection"));
            assertTrue(wire.closedByPeer(), "closed after a violation");
            assertEquals(1, server.counters().total().violationsTotal());
            assertEquals(java.util.List.of(), logs.warnings());
            try (var other = Wire.connect(server.address())) {
                assertEquals("hello", other.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
            }
        }
    }
}
