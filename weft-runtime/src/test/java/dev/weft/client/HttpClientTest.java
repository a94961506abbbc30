package dev.weft.client;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;
import dev.weft.server.Exchange;
import dev.weft.server.Handler;
import dev.weft.server.Response;
import dev.weft.server.ResponseStream;
import dev.weft.server.Server;
import dev.weft.testing.LoopHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against Weft's own server over 127.0.0.1: styles, pooling, 100-continue, demand, deadlines. */
class HttpClientTest {
    private final ConcurrentLinkedQueue<Exchange> parked = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private Server server;
    private HttpClient client;

    @BeforeEach void start() throws IOException {
        server = Server.builder().port(0).loops(2)
                .get("/hello", (req, ex) -> ex.reply(Response.ok("hello")))
                .post("/echo", Handler.buffered((req, ex) -> ex.reply(new Response(Status.OK, new Headers(), req.body()))))
                .post("/reject", (req, ex) -> ex.reply(Response.text(Status.CONTENT_TOO_LARGE, "too large\n")))
                .get("/silent", (req, ex) -> {                     // a stream's head, then nothing
                    ex.onCancel(() -> cancelled.set(true));
                    ex.stream(Status.OK, new Headers());
                })
                .post("/hold", (req, ex) -> {                       // parks without reading the body
                    ex.onCancel(() -> cancelled.set(true));
                    parked.add(ex);
                })
                .get("/park", (req, ex) -> {
                    ex.onCancel(() -> cancelled.set(true));
                    parked.add(ex);
                })
                .get("/stream", (req, ex) -> streamMiB(ex.stream(Status.OK, new Headers())))
                .start();
        client = HttpClient.builder().loops(1).maxConnectionsPerOrigin(4).build();
    }

    @AfterEach void stop() {
        client.close();
        server.stop(Duration.ofSeconds(2));
    }

    private String url(String path) { return "http://127.0.0.1:" + server.address().getPort() + path; }

    private static void streamMiB(ResponseStream s) {
        Thread.ofVirtual().start(() -> {
            try (var out = s.outputStream()) {
                byte[] chunk = new byte[16 << 10];
                for (int i = 0; i < 64; i++) {
                    java.util.Arrays.fill(chunk, (byte) i);
                    out.write(chunk);
                }
            } catch (IOException gone) {
                // the client left
            }
        });
    }

    @Test void sequentialRequestsReuseOneConnection() throws Exception {
        for (int i = 0; i < 20; i++) {
            var r = client.send(ClientRequest.get(url("/hello"))).get(10, TimeUnit.SECONDS);
            assertEquals(200, r.status().code());
            assertEquals("hello", r.text());
        }
        assertEquals(1, server.counters().total().connectionsAccepted(), "keep-alive reuse");
    }

    @Test void concurrentRequestsStayWithinThePoolLimit() throws Exception {
        var futures = new ArrayList<CompletableFuture<ClientResponse>>();
        for (int i = 0; i < 200; i++) futures.add(client.send(ClientRequest.post(url("/echo"), "body " + i)));
        for (int i = 0; i < 200; i++) assertEquals("body " + i, futures.get(i).get(20, TimeUnit.SECONDS).text());
        assertTrue(server.counters().total().connectionsAccepted() <= 4, "accepted " + server.counters().total().connectionsAccepted());
    }

    @Test void blockingStyleOnAVirtualThread() throws Exception {
        var result = new CompletableFuture<String>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(client.sendBlocking(ClientRequest.get(url("/hello"))).text());
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        assertEquals("hello", result.get(10, TimeUnit.SECONDS));
    }

    @Test void headHasNoBody() throws Exception {
        var r = client.send(ClientRequest.of(Method.HEAD, url("/hello"), ByteBuffer.allocate(0))).get(10, TimeUnit.SECONDS);
        assertEquals(200, r.status().code());
        assertEquals("5", r.headers().firstOr("content-length", ""));
        assertEquals(0, r.body().remaining());
    }

    @Test void aLargeUploadWaitsForContinueAndARefusalSavesSendingIt() throws Exception {
        byte[] big = new byte[(int) HttpClient.EXPECT_CONTINUE_ABOVE + 7];
        new java.util.Random(1).nextBytes(big);
        var echoed = client.send(ClientRequest.post(url("/echo"), big)).get(20, TimeUnit.SECONDS);
        assertArrayEquals(big, echoed.bytes());
        long readBefore = server.counters().total().bytesRead();
        var refused = client.send(ClientRequest.post(url("/reject"), big)).get(20, TimeUnit.SECONDS);
        assertEquals(413, refused.status().code());
        assertTrue(server.counters().total().bytesRead() - readBefore < big.length / 2,
                "the body was not sent after the refusal: " + (server.counters().total().bytesRead() - readBefore));
        assertEquals("hello", client.send(ClientRequest.get(url("/hello"))).get(10, TimeUnit.SECONDS).text(), "and the client carries on");
    }

    @Test void aReaderHoldsBackTheStreamUntilItResumes() throws Exception {
        var received = new AtomicLong();
        var done = new CompletableFuture<Long>();
        var firstPause = new CompletableFuture<Void>();
        var call = new AtomicBoolean();
        ClientCall[] handle = new ClientCall[1];
        handle[0] = client.send(ClientRequest.get(url("/stream")), new ResponseReader() {
            @Override public void onHead(Status status, Headers headers) { }
            @Override public boolean onBytes(ByteBuffer piece) {
                received.addAndGet(piece.remaining());
                if (call.compareAndSet(false, true)) {
                    firstPause.complete(null);
                    return false;
                }
                return true;
            }
            @Override public void onEnd(Headers trailers) { done.complete(received.get()); }
            @Override public void onFailure(Throwable cause) { done.completeExceptionally(cause); }
        });
        firstPause.get(10, TimeUnit.SECONDS);
        long atPause = received.get();
        Thread.sleep(200);
        assertEquals(atPause, received.get(), "nothing delivered while paused");
        handle[0].resume();
        assertEquals(1L << 20, done.get(10, TimeUnit.SECONDS));
    }

    @Test void aStreamedBodyIsReadAsItComesAndASlowReaderHoldsTheServerBack() throws Exception {
        try (ClientStream response = client.sendStreaming(ClientRequest.get(url("/stream")))) {
            assertEquals(200, response.status().code());
            Thread.sleep(300);                                    // read nothing: the queue fills, then the socket is left alone
            int held = response.body().available();
            assertTrue(held >= ClientStream.CAPACITY && held < ClientStream.CAPACITY + (64 << 10),
                    "held " + held + " bytes while not reading");
            byte[] all = response.body().readAllBytes();
            assertEquals(1 << 20, all.length);
            for (int i = 0; i < 64; i++) assertEquals((byte) i, all[i * (16 << 10)], "chunk " + i);
        }
        try (ClientStream response = client.sendStreaming(ClientRequest.get(url("/stream")))) {
            assertEquals(16 << 10, response.body().readNBytes(16 << 10).length);
        }                                                          // closed mid-body: cancelled, its connection closed
        HostileWait.until(() -> client.openConnections() == 0);
        assertEquals("hello", client.send(ClientRequest.get(url("/hello"))).get(10, TimeUnit.SECONDS).text());
    }

    @Test void anInterruptedStreamReaderGivesUpTheExchange() throws Exception {
        ClientStream response = client.sendStreaming(ClientRequest.get(url("/silent")));   // a head, then nothing
        assertEquals(200, response.status().code());
        var reader = new CompletableFuture<Throwable>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                response.body().read();
                reader.complete(null);
            } catch (IOException e) {
                reader.complete(e);
            }
        });
        Thread.sleep(200);
        t.interrupt();
        assertInstanceOf(java.io.InterruptedIOException.class, reader.get(10, TimeUnit.SECONDS));
        HostileWait.until(cancelled::get);                                                // the server saw the exchange end
    }

    @Test void aStreamedUploadGoesOutChunkedAsItIsWritten() throws Exception {
        byte[] expected = new byte[1 << 20];
        new java.util.Random(3).nextBytes(expected);
        var r = client.send(ClientRequest.streamed(Method.POST, url("/echo"), out -> {
            for (int at = 0; at < expected.length; at += 10_000) out.write(expected, at, Math.min(10_000, expected.length - at));
        })).get(20, TimeUnit.SECONDS);
        assertEquals(200, r.status().code());
        assertArrayEquals(expected, r.bytes());
    }

    @Test void aSourceIsHeldBackByAServerThatDoesNotReadAndStopsWhenTheExchangeEnds() throws Exception {
        var written = new AtomicLong();
        var sourceEnded = new CompletableFuture<Throwable>();
        var failed = new CompletableFuture<Throwable>();
        ClientCall call = client.send(ClientRequest.streamed(Method.POST, url("/hold"), out -> {
            byte[] piece = new byte[16 << 10];
            try {
                for (int i = 0; i < 4096; i++) {                  // 64 MiB, if nothing held it back
                    out.write(piece);
                    written.addAndGet(piece.length);
                }
                sourceEnded.complete(null);
            } catch (IOException e) {
                sourceEnded.complete(e);
                throw e;
            }
        }), failingReader(failed));
        HostileWait.until(() -> parked.size() == 1);
        long before;
        do {                                                       // until the socket buffers are full
            before = written.get();
            Thread.sleep(300);
        } while (written.get() != before);
        assertTrue(before < 32L << 20, "the source was held back after " + before + " bytes");
        call.cancel();
        assertInstanceOf(IOException.class, failed.get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, sourceEnded.get(10, TimeUnit.SECONDS), "the parked write failed");
    }

    @Test void aSourceThatFailsFailsTheExchangeAndAnEarlyAnswerStopsTheSource() throws Exception {
        var failed = client.send(ClientRequest.streamed(Method.POST, url("/echo"), out -> {
            out.write(new byte[100]);
            throw new IOException("the disk went away");
        }));
        var e = assertThrows(ExecutionException.class, () -> failed.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("source failed"), e.getCause().toString());

        var sourceEnded = new CompletableFuture<Throwable>();
        var early = client.send(ClientRequest.streamed(Method.POST, url("/reject"), out -> {
            try {
                for (int i = 0; i < 4096; i++) out.write(new byte[16 << 10]);
                sourceEnded.complete(null);
            } catch (IOException stopped) {
                sourceEnded.complete(stopped);
            }
        })).get(10, TimeUnit.SECONDS);
        assertEquals(413, early.status().code());
        assertInstanceOf(IOException.class, sourceEnded.get(10, TimeUnit.SECONDS), "the source was told to stop");
    }

    @Test void cancellingClosesTheConnectionAndTheServerSeesIt() throws Exception {
        var failed = new CompletableFuture<Throwable>();
        ClientCall call = client.send(ClientRequest.get(url("/park")), failingReader(failed));
        HostileWait.until(() -> parked.size() == 1);
        call.cancel();
        assertInstanceOf(IOException.class, failed.get(10, TimeUnit.SECONDS));
        HostileWait.until(cancelled::get);
    }

    @Test void aFullPoolFailsAtOnceInsteadOfQueueingForEver() throws Exception {
        try (var small = HttpClient.builder().loops(1).maxConnectionsPerOrigin(1).maxWaiting(1).build()) {
            var first = small.send(ClientRequest.get(url("/park")));
            var second = small.send(ClientRequest.get(url("/park")));
            var third = small.send(ClientRequest.get(url("/park")));
            var e = assertThrows(ExecutionException.class, () -> third.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("pool"), e.getCause().getMessage());
            HostileWait.until(() -> parked.size() == 1);
            parked.poll().reply(Response.ok("one"));
            assertEquals("one", first.get(10, TimeUnit.SECONDS).text());
            HostileWait.until(() -> parked.size() == 1);
            parked.poll().reply(Response.ok("two"));
            assertEquals("two", second.get(10, TimeUnit.SECONDS).text());
        }
    }

    @Test void deadlinesOnAManualClock() throws Exception {
        try (var harness = LoopHarness.start(1)) {
            var timed = HttpClient.builder().group(harness.group()).build();
            var head = timed.send(ClientRequest.get(url("/park")));
            HostileWait.until(() -> parked.size() == 1);
            harness.advance(Duration.ofSeconds(30));
            var e = assertThrows(ExecutionException.class, () -> head.get(10, TimeUnit.SECONDS));
            assertInstanceOf(SocketTimeoutException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("head"), e.getCause().getMessage());

            var whole = timed.send(ClientRequest.get(url("/park")).timeout(Duration.ofSeconds(5)));
            HostileWait.until(() -> parked.size() == 2);
            harness.advance(Duration.ofSeconds(5));
            var w = assertThrows(ExecutionException.class, () -> whole.get(10, TimeUnit.SECONDS));
            assertTrue(w.getCause().getMessage().contains("complete response"), w.getCause().getMessage());
            timed.close();
        }
    }

    private static ResponseReader failingReader(CompletableFuture<Throwable> failed) {
        return new ResponseReader() {
            @Override public void onHead(Status status, Headers headers) { }
            @Override public boolean onBytes(ByteBuffer piece) { return true; }
            @Override public void onEnd(Headers trailers) { failed.complete(null); }
            @Override public void onFailure(Throwable cause) { failed.complete(cause); }
        };
    }

    /** Bounded waiting for a condition another thread makes true. */
    static final class HostileWait {
        static void until(java.util.function.BooleanSupplier condition) throws InterruptedException {
            long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > due) throw new AssertionError("not within 10 s");
                Thread.sleep(5);
            }
        }
    }
}
