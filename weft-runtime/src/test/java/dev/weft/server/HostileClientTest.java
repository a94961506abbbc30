package dev.weft.server;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.testing.Conditions;
import dev.weft.testing.LogCapture;
import dev.weft.testing.LoopHarness;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Clients that attack the server's memory and descriptors, each checked by the server's own
 * counters (buffers lent by the loops' pools, the memory budget, connections open), never by
 * timing: a client that floods and never reads, one that claims large bodies it never sends,
 * one that breaks its body under a blocking handler, a producer that ignores backpressure.
 */
class HostileClientTest {
    private static final byte[] SMALL = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final Response HELLO = new Response(Status.OK, Headers.of("content-type", "text/plain"), ByteBuffer.wrap(SMALL));
    /** A long-poll answer of 54 KB for a 44-byte request: the amplified form of the same attack. */
    private static final Response LARGE = new Response(Status.OK, Headers.of("content-type", "text/plain"),
            ByteBuffer.wrap(new byte[54_000]).asReadOnlyBuffer());

    private static Server.Builder base() {
        return Server.builder().port(0).loops(1)
                .get("/small", (req, ex) -> ex.reply(HELLO))
                .get("/large", (req, ex) -> ex.reply(LARGE))
                .post("/echo", Handler.buffered((req, ex) -> ex.reply(Response.text(Status.OK, req.bodyText()))));
    }

    @ParameterizedTest(name = "GET {0}") @ValueSource(strings = {"/small", "/large"})
    void aClientThatPipelinesAndNeverReadsHoldsMemoryFlatUntilTheStallDeadline(String path) throws Exception {
        var timeouts = ServerTimeouts.DEFAULTS.withWriteStall(Duration.ofSeconds(2));
        try (var server = base().timeouts(timeouts).start(); var flood = new Flood(server, path)) {
            await(() -> server.counters().total().requests() > 0, "the flood began");
            int maxLent = 0;
            long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.counters().total().connectionsOpen() > 0 && System.nanoTime() < due) {
                maxLent = Math.max(maxLent, buffersLent(server));
                Thread.sleep(20);
            }
            var counts = server.counters().total();
            assertEquals(0, counts.connectionsOpen(), "the write-stall deadline closed the flooding connection");
            assertEquals(1, counts.deadlines(Deadline.WRITE_STALL));
            // The connection's output stops near its 64 KiB high-water mark (4 pooled buffers of
            // 16 KiB), plus the read buffer holding requests not yet parsed. Unbounded, it was
            // thousands of buffers after a few seconds.
            assertTrue(maxLent <= 8, "pooled buffers held at most " + maxLent);
            assertTrue(flood.sent() > 1 << 20, "the client did flood: " + flood.sent() + " bytes sent");
            assertEquals(0, buffersLent(server), "everything went back to the pool");
        }
    }

    @Test void aBodylessRequestToABodyReadingRouteDoesNotStallThePipelineBehindIt() throws Exception {
        try (var server = base()
                .post("/stream", req -> Response.ok(req.bodyStream().readAllBytes().length + " bytes"))
                .start(); var wire = Wire.connect(server.address())) {
            for (String post : List.of("POST /echo HTTP/1.1\r\nHost: t\r\n\r\n",
                    "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\n\r\n",
                    "POST /stream HTTP/1.1\r\nHost: t\r\n\r\n")) {
                wire.send(post + "GET /small HTTP/1.1\r\nHost: t\r\n\r\n");
                var first = wire.read();
                assertEquals(200, first.status());
                assertEquals("Hello, World!", wire.read().text(), "the request pipelined after " + post.lines().findFirst().orElseThrow());
            }
        }
    }

    @Test void headsThatClaimLargeBodiesReserveNothingUntilBytesArrive() throws Exception {
        int clients = 300;
        var sockets = new ArrayList<Socket>();
        try (var server = base().start()) {
            long heapBefore = heapAfterGc();
            try {
                for (int i = 0; i < clients; i++) {
                    var s = new Socket("127.0.0.1", server.address().getPort());
                    sockets.add(s);
                    s.getOutputStream().write("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1048576\r\n\r\nab"
                            .getBytes(StandardCharsets.US_ASCII));
                }
                await(() -> server.counters().total().requests() == clients, "every head parsed");
                long budget = LoopHarness.callOn(server.serverLoops().getFirst().loop, _ -> server.serverLoops().getFirst().budgetUsed());
                assertTrue(budget < 16L * clients << 10, "bytes held against the budget: " + budget);
                long grown = heapAfterGc() - heapBefore;
                // A collector that reserved min(Content-Length, 1 MiB) up front held 300 MiB here.
                assertTrue(grown < 64L << 20, "heap grew by " + (grown >> 20) + " MiB for " + clients + " two-byte bodies");
            } finally {
                for (Socket s : sockets) s.close();
            }
        }
    }

    @Test void floodsPastTheMemoryBudgetAreTurnedAwayInsteadOfGrowingIt() throws Exception {
        int budget = 256 << 10;
        try (var server = base().memoryBudget(budget).start()) {
            var floods = new ArrayList<Flood>();
            int maxLent = 0;
            try {
                for (int i = 0; i < 12; i++) {
                    floods.add(new Flood(server, "/small"));
                    maxLent = Math.max(maxLent, buffersLent(server));
                }
                await(() -> server.counters().total().turnedAway() >= 1, "a flood was turned away");
                for (int i = 0; i < 50; i++, Thread.sleep(10)) maxLent = Math.max(maxLent, buffersLent(server));
                // Each connection may cross the budget by what one batch of its replies takes
                // (its high-water mark, four buffers) before its next head is refused.
                assertTrue(maxLent <= budget / (16 << 10) + 5, "pooled buffers held at most " + maxLent);
            } finally {
                for (Flood f : floods) f.close();
            }
        }
    }

    @Test void pastTheMemoryBudgetANewRequestIsAnswered503AndServedOnceMemoryIsBack() throws Exception {
        try (var server = base().memoryBudget(256 << 10).start()) {
            var loop = server.serverLoops().getFirst().loop;
            var held = LoopHarness.callOn(loop, l -> {                  // as if other connections held output
                var buffers = new ArrayList<ByteBuffer>();
                for (int i = 0; i < 16; i++) buffers.add(l.buffers().acquire());
                return buffers;
            });
            try (var wire = Wire.connect(server.address())) {
                var reply = wire.send("GET /small HTTP/1.1\r\nHost: t\r\n\r\n").read();
                assertEquals(503, reply.status());
                assertEquals("1", reply.header("retry-after"));
                assertEquals("close", reply.header("connection"));
                assertTrue(wire.closedByPeer());
            }
            assertEquals(1, server.counters().total().turnedAway());
            LoopHarness.callOn(loop, l -> {
                held.forEach(l.buffers()::release);
                return null;
            });
            try (var wire = Wire.connect(server.address())) {
                assertEquals(200, wire.send("GET /small HTTP/1.1\r\nHost: t\r\n\r\n").read().status(), "served again");
            }
        }
    }

    @Test void aBodyThatWouldSpendTheBudgetIsTurnedAwayAndASmallOneIsNot() throws Exception {
        try (var server = base().memoryBudget(160 << 10).start(); var wire = Wire.connect(server.address())) {
            byte[] big = new byte[300 << 10];
            var reply = wire.send(("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: " + big.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)).send(big).read();
            assertEquals(503, reply.status());
            assertEquals(1, server.counters().total().turnedAway());
            await(() -> LoopHarness.callOn(server.serverLoops().getFirst().loop,
                    _ -> server.serverLoops().getFirst().budgetUsed()) == 0, "the refused body's reservation given back");
            try (var other = Wire.connect(server.address())) {
                var ok = other.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello").read();
                assertEquals("hello", ok.text());
            }
        }
    }

    @Test void bodyFailuresCausedByTheClientAreDebugLinesNotWarnings() throws Exception {
        var handled = new java.util.concurrent.LinkedBlockingQueue<String>();
        try (var logs = LogCapture.start();
             var server = base().post("/read", req -> {
                 try {
                     return Response.ok(req.bodyStream().readAllBytes().length + " bytes");
                 } finally {
                     handled.add("done");
                 }
             }).start()) {
            try (var wire = Wire.connect(server.address())) {                      // a broken chunk size
                var r = wire.send("POST /read HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n").read();
                assertEquals(400, r.status());
            }
            assertEquals("done", handled.poll(10, TimeUnit.SECONDS));
            try (var wire = Wire.connect(server.address())) {                      // leaves mid-body
                wire.send("POST /read HTTP/1.1\r\nHost: t\r\nContent-Length: 100\r\n\r\nhalf");
                Thread.sleep(50);
                wire.socket.setSoLinger(true, 0);
            }
            assertEquals("done", handled.poll(10, TimeUnit.SECONDS));
            await(() -> server.counters().total().peerFaults() == 2, "both failures counted as the client's");
            assertEquals(List.of(), logs.warnings(), "what a client did is not a server warning");
            assertEquals(0, server.counters().total().handlerExceptions());
        }
    }

    @Test void aProducerThatIgnoresBackpressureIsAbortedNotBuffered() throws Exception {
        var stream = new CompletableFuture<ResponseStream>();
        try (var logs = LogCapture.start();
             var server = base().get("/stream", (req, ex) -> stream.complete(ex.stream(Status.OK, new Headers()))).start();
             var socket = new Socket()) {
            socket.setReceiveBufferSize(8 << 10);
            socket.connect(server.address());
            socket.getOutputStream().write("GET /stream HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            ResponseStream s = stream.get(10, TimeUnit.SECONDS);
            byte[] piece = new byte[16 << 10];
            CompletableFuture<Void> failed = null;
            for (int i = 0; i < 100_000 && failed == null; i++) {                 // never looks at isReady()
                var stage = s.write(ByteBuffer.wrap(piece)).toCompletableFuture();
                if (stage.isCompletedExceptionally()) failed = stage;
            }
            assertTrue(failed != null, "a write past the bound fails");
            var cause = assertInstanceOf(ExecutionException.class, org.junit.jupiter.api.Assertions.assertThrows(
                    ExecutionException.class, failed::get)).getCause();
            assertInstanceOf(UsageViolation.class, cause);
            assertFalse(s.isOpen());
            assertEquals(1, logs.warnings().size(), "the producer's bug is one warning: " + logs.warnings());
            await(() -> server.counters().total().connectionsOpen() == 0, "the response was aborted");
        }
    }

    // ---- helpers ----

    /** A client that pipelines GETs as fast as the socket takes them and never reads a byte. */
    private static final class Flood implements AutoCloseable {
        private final Socket socket = new Socket();
        private final AtomicBoolean stop = new AtomicBoolean();
        private final Thread writer;
        private volatile long sent;

        Flood(Server server, String path) throws IOException {
            socket.setReceiveBufferSize(4 << 10);
            socket.connect(server.address(), 10_000);
            byte[] requests = ("GET " + path + " HTTP/1.1\r\nHost: t\r\n\r\n").repeat(64).getBytes(StandardCharsets.US_ASCII);
            OutputStream out = socket.getOutputStream();
            writer = Thread.ofPlatform().daemon().start(() -> {
                long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                try {
                    while (!stop.get() && System.nanoTime() < due) {
                        out.write(requests);
                        sent += requests.length;
                    }
                } catch (IOException closedByServer) {
                    // the server gave up on us: the point of the test
                }
            });
        }

        long sent() { return sent; }

        @Override public void close() throws IOException {
            stop.set(true);
            socket.setSoLinger(true, 0);
            socket.close();
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static int buffersLent(Server server) {
        int n = 0;
        for (ServerLoop l : server.serverLoops()) n += LoopHarness.callOn(l.loop, loop -> loop.buffers().lent());
        return n;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        Conditions.await(condition, what, Duration.ofSeconds(15));
    }

    private static long heapAfterGc() {
        var runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) System.gc();
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
