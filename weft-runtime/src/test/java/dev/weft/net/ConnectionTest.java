package dev.weft.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.AdversePeer;
import dev.weft.testing.LogCapture;
import dev.weft.testing.LoopHarness;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Connections over real sockets on 127.0.0.1; every wait is bounded. */
class ConnectionTest {
    private final NetFixture net = new NetFixture(1);

    @AfterEach
    void stop() { net.close(); }

    /** Echoes by reference (a heap copy) or through the sink (pooled copies), as asked. */
    private record Echo(boolean viaSink) implements ConnectionHandler {
        @Override
        public void onRead(Connection c, ByteBuffer in) {
            if (viaSink) {
                byte[] bytes = new byte[in.remaining()];
                in.get(bytes);
                c.sink().write(bytes);
            } else {
                c.write(ByteBuffer.allocate(in.remaining()).put(in).flip());
            }
            c.flush();
        }
    }

    @Test
    void echoRoundTripsAndIdleConnectionsHoldNoBuffers() throws IOException {
        net.serve(() -> new Echo(false));
        var peers = new java.util.ArrayList<AdversePeer>();
        try {
            for (int i = 0; i < 20; i++) {
                var peer = AdversePeer.connect(net.address());
                peers.add(peer);
                var message = "hello " + i;
                peer.send(message);
                assertEquals(message, new String(peer.read(message.length()), US_ASCII));
            }
            assertEquals(0, net.lent(), "20 idle connections, no buffer lent");
            var counters = net.group.loops().getFirst().counters();
            assertEquals(20, counters.connectionsOpen());
            assertTrue(counters.bytesRead() >= 20 * 7 && counters.bytesWritten() == counters.bytesRead());
        } finally {
            for (var peer : peers) peer.close();
        }
    }

    @Test
    void theSinkCoalescesSmallWritesIntoPooledBuffersAndReturnsThem() throws IOException {
        var lentWhileQueued = new CompletableFuture<Integer>();
        net.serve(() -> (ConnectionHandler) (c, in) -> {
            in.position(in.limit());
            int before = c.loop().buffers().lent();
            byte[] piece = "0123456789".getBytes(US_ASCII);
            for (int i = 0; i < 1000; i++) c.sink().write(piece);   // 10,000 bytes
            lentWhileQueued.complete(c.loop().buffers().lent() - before);
            assertEquals(10_000, c.pendingBytes());
            c.flush();
        });
        try (var peer = AdversePeer.connect(net.address())) {
            peer.send("go");
            var got = new String(peer.read(10_000), US_ASCII);
            assertEquals("0123456789".repeat(1000), got);
            assertEquals(1, LoopHarness.await(lentWhileQueued), "1000 small writes, one 16 KiB pooled buffer");
            assertEquals(0, net.lent());
        }
    }

    /**
     * A handler that suspends and resumes within one onRead, leaving bytes behind, gets them back
     * although the peer sends nothing more: the buffer is checked out while onRead runs, and the
     * resume must still schedule the redelivery (a lost wakeup, found as a hung upload).
     */
    @Test
    void leftoversComeBackWhenReadingResumesInsideTheSameOnRead() throws IOException {
        var seen = new java.util.concurrent.CopyOnWriteArrayList<String>();
        net.serve(() -> (ConnectionHandler) (c, in) -> {
            seen.add(US_ASCII.decode(in.duplicate()).toString());
            if (seen.size() == 1) {
                in.get();                                  // take one byte, leave the rest
                c.suspendRead();
                c.resumeRead();
                return;
            }
            in.position(in.limit());
            c.sink().write("done".getBytes(US_ASCII));
            c.flush();
        });
        try (var peer = AdversePeer.connect(net.address())) {
            peer.send("abc");
            assertEquals("done", new String(peer.read(4), US_ASCII));
            assertEquals(java.util.List.of("abc", "bc"), seen);
        }
    }

    /** The handler keeps the tail of the first read, suspends, and gets it back first on resume. */
    @Test
    void leftoverBytesComeBackFirstAfterResume() throws IOException {
        var suspended = new CompletableFuture<Connection>();
        var afterResume = new StringBuffer();
        var firstAfterResume = new CompletableFuture<String>();
        net.serve(() -> new ConnectionHandler() {
            boolean first = true;

            @Override
            public void onRead(Connection c, ByteBuffer in) {
                if (first) {
                    if (in.remaining() < 6) return;              // wait for all of "abcdef"
                    first = false;
                    in.position(in.position() + 2);              // take "ab", leave "cdef"
                    c.suspendRead();
                    suspended.complete(c);
                    return;
                }
                var text = US_ASCII.decode(in).toString();
                firstAfterResume.complete(text);
                afterResume.append(text);
                if (afterResume.toString().endsWith("ghi")) {
                    c.write(ByteBuffer.wrap(afterResume.toString().getBytes(US_ASCII)));
                    c.flush();
                }
            }
        });
        try (var peer = AdversePeer.connect(net.address())) {
            peer.send("abcdef");
            var c = LoopHarness.await(suspended);
            assertEquals(1, net.lent(), "the leftover holds its buffer while suspended");
            assertTrue(NetFixture.onLoop(c.loop(), c::isReadSuspended));
            peer.send("ghi");                                   // not read while suspended
            c.execute(c::resumeRead);
            assertTrue(LoopHarness.await(firstAfterResume).startsWith("cdef"));
            assertEquals("cdefghi", new String(peer.read(7), US_ASCII));
            assertEquals(0, net.lent());
        }
    }

    /**
     * A peer that does not read: pending output stays just above the high-water mark. The
     * producer writes until the kernel's buffers are full and the connection says stop, then,
     * once the peer reads, 1 MiB more (through onWritable) and closes.
     */
    @Test
    void backpressureBoundsPendingOutputAndOnWritableResumesTheProducer() throws IOException {
        int chunk = 8 << 10;
        var options = ConnectionOptions.defaults();
        var maxPending = new AtomicLong();
        var writableCalls = new AtomicInteger();
        var firstStop = new CompletableFuture<Long>();
        var totalSent = new CompletableFuture<Long>();
        net.serve(options, () -> new ConnectionHandler() {
            long sent;
            long limit = -1;                                  // set when the first stop comes

            @Override
            public void onOpen(Connection c) { produce(c); }

            @Override
            public void onRead(Connection c, ByteBuffer in) { in.position(in.limit()); }

            @Override
            public void onWritable(Connection c) {
                writableCalls.incrementAndGet();
                produce(c);
            }

            private void produce(Connection c) {
                while (c.isWritable() && (limit < 0 || sent < limit)) {
                    byte[] bytes = new byte[chunk];
                    for (int i = 0; i < chunk; i++) bytes[i] = (byte) (sent + i);
                    c.write(ByteBuffer.wrap(bytes));
                    sent += chunk;
                    c.flush();
                    maxPending.accumulateAndGet(c.pendingBytes(), Math::max);
                }
                if (!c.isWritable() && limit < 0) {
                    limit = sent + (1 << 20);
                    firstStop.complete(c.pendingBytes());
                }
                if (limit >= 0 && sent >= limit) {
                    totalSent.complete(sent);
                    c.close();
                }
            }
        });
        try (var peer = AdversePeer.connect(net.address(), 32 << 10)) {
            long pendingAtStop = LoopHarness.await(firstStop);     // the peer has not read a byte yet
            assertTrue(pendingAtStop >= options.highWaterMark(), "stopped at the high-water mark");
            var body = peer.readToEnd();                            // now read it all
            assertEquals((long) LoopHarness.await(totalSent), body.length);
            for (int i = 0; i < body.length; i += 4099) assertEquals((byte) i, body[i], "byte " + i);
        }
        assertTrue(maxPending.get() < options.highWaterMark() + chunk, "max pending " + maxPending.get());
        assertTrue(writableCalls.get() >= 1, "onWritable after the peer read");
    }

    @Test
    void aStalledPeerIsCutOffAfterTheWriteStallTimeout() throws IOException {
        var options = ConnectionOptions.defaults().withWriteStallTimeout(Duration.ofMillis(200));
        var closed = new CompletableFuture<Throwable>();
        net.serve(options, () -> new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) {
                byte[] mebibyte = new byte[1 << 20];
                for (int i = 0; i < 64; i++) c.write(ByteBuffer.wrap(mebibyte));   // 64 MiB: more than any kernel buffers
                c.flush();
            }

            @Override
            public void onRead(Connection c, ByteBuffer in) { in.position(in.limit()); }

            @Override
            public void onClose(Connection c) { closed.complete(c.failure().orElse(null)); }
        });
        try (var log = LogCapture.start(); var peer = AdversePeer.connect(net.address(), 16 << 10)) {
            peer.apply(new AdversePeer.Stall());
            assertInstanceOf(WriteStalled.class, LoopHarness.await(closed));
            assertTrue(log.warnings().isEmpty(), "a stalled peer is not our bug: " + log.warnings());
        }
        assertEquals(0, net.lent());
    }

    @Test
    void endOfInputIsReportedAfterTheLastByte() throws IOException {
        var events = new CopyOnWriteArrayList<String>();
        var closed = new CompletableFuture<Boolean>();
        net.serve(() -> new ConnectionHandler() {
            @Override
            public void onRead(Connection c, ByteBuffer in) { events.add("read:" + US_ASCII.decode(in)); }

            @Override
            public void onInputClosed(Connection c) {
                events.add("inputClosed");
                c.sink().write("bye".getBytes(US_ASCII));         // still allowed to write
                c.close();
            }

            @Override
            public void onClose(Connection c) { closed.complete(c.failure().isEmpty()); }
        });
        try (var peer = AdversePeer.connect(net.address())) {
            peer.send("last words");
            peer.apply(new AdversePeer.HalfClose());
            assertEquals("bye", new String(peer.readToEnd(), US_ASCII));
        }
        assertTrue(LoopHarness.await(closed), "an orderly close has no failure");
        assertEquals("inputClosed", events.getLast());
        assertEquals("last words", String.join("", events.subList(0, events.size() - 1)).replace("read:", ""));
    }

    @Test
    void aResetFromThePeerIsANormalCloseNeverAnError() throws IOException {
        var closed = new CompletableFuture<Connection>();
        var echo = new Echo(true);
        net.serve(() -> new ConnectionHandler() {
            @Override
            public void onRead(Connection c, ByteBuffer in) { echo.onRead(c, in); }   // writes into a reset socket

            @Override
            public void onClose(Connection c) { closed.complete(c); }
        });
        try (var log = LogCapture.start()) {
            try (var peer = AdversePeer.connect(net.address())) {
                peer.apply(new AdversePeer.ResetMidBody(new byte[64 << 10], 20_000));
            }
            var c = LoopHarness.await(closed);
            assertFalse(c.isOpen());
            assertInstanceOf(IOException.class, NetFixture.onLoop(c.loop(), () -> c.failure().orElseThrow()));
            assertTrue(log.warnings().isEmpty(), "reset logged above DEBUG: " + log.warnings());
        }
        assertEquals(0, net.lent());
    }

    @Test
    void closeFlushesEverythingThenSendsFin() throws IOException {
        int size = 1 << 20;
        var closed = new CompletableFuture<Boolean>();
        net.serve(() -> new ConnectionHandler() {
            @Override
            public void onRead(Connection c, ByteBuffer in) {
                in.position(in.limit());
                byte[] body = new byte[size];
                for (int i = 0; i < size; i++) body[i] = (byte) (i * 31);
                c.sink().write(body);
                c.close();                                          // before a byte of it went out
                assertFalse(c.isOpen());
            }

            @Override
            public void onClose(Connection c) { closed.complete(c.failure().isEmpty()); }
        });
        try (var peer = AdversePeer.connect(net.address(), 16 << 10)) {
            peer.send("x");
            var body = peer.readToEnd();
            assertEquals(size, body.length);
            for (int i = 0; i < size; i += 997) assertEquals((byte) (i * 31), body[i]);
        }
        assertTrue(LoopHarness.await(closed));
        assertEquals(0, net.lent());
    }

    @Test
    void abortSendsAReset() throws IOException {
        net.serve(() -> (ConnectionHandler) (c, in) -> {
            c.sink().write("never sent".getBytes(US_ASCII));
            c.abort();
        });
        try (var peer = AdversePeer.connect(net.address())) {
            peer.send("x");
            assertThrows(SocketException.class, () -> peer.socket().getInputStream().read(new byte[16]));
        }
    }

    @Test
    void aHandlerThatThrowsAbortsItsConnectionWithAWarning() throws IOException {
        var closed = new CompletableFuture<Throwable>();
        net.serve(() -> new ConnectionHandler() {
            @Override
            public void onRead(Connection c, ByteBuffer in) { throw new IllegalStateException("handler bug"); }

            @Override
            public void onClose(Connection c) { closed.complete(c.failure().orElseThrow()); }
        });
        try (var log = LogCapture.start(); var peer = AdversePeer.connect(net.address())) {
            peer.send("x");
            assertEquals("handler bug", LoopHarness.await(closed).getMessage());
            assertEquals(1, log.warnings().size());
            assertTrue(log.errors().isEmpty());
        }
        assertEquals(0, net.lent());
    }

    @Test
    void aHandlerThatLeavesAFullBufferWithoutSuspendingIsAborted() throws IOException {
        var closed = new CompletableFuture<Throwable>();
        net.serve(() -> new ConnectionHandler() {
            @Override
            public void onRead(Connection c, ByteBuffer in) { }      // consumes nothing, ever

            @Override
            public void onClose(Connection c) { closed.complete(c.failure().orElseThrow()); }
        });
        try (var log = LogCapture.start(); var peer = AdversePeer.connect(net.address())) {
            peer.send(new byte[64 << 10]);
            assertInstanceOf(IllegalStateException.class, LoopHarness.await(closed));
        }
        assertEquals(0, net.lent());
    }

    @Test
    void writesFromOtherThreadsGoThroughExecute() throws IOException {
        var opened = new CompletableFuture<Connection>();
        net.serve(() -> new ConnectionHandler() {
            @Override
            public void onOpen(Connection c) { opened.complete(c); }

            @Override
            public void onRead(Connection c, ByteBuffer in) { in.position(in.limit()); }
        });
        try (var peer = AdversePeer.connect(net.address())) {
            var c = LoopHarness.await(opened);
            assertThrows(AssertionError.class, () -> c.write(ByteBuffer.allocate(1)), "owner asserted");
            var worker = Thread.ofVirtual().start(() -> c.execute(() -> {
                c.sink().write("from a worker\n".getBytes(US_ASCII));
                c.flush();
            }));
            assertEquals("from a worker", peer.readLine());
            assertTrue(c.isOpen());
            joinQuietly(worker);
        }
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
