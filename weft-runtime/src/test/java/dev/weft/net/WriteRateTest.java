package dev.weft.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.AdversePeer;
import dev.weft.testing.LoopHarness;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The write side's minimum rate, on a manual clock over a real socket: while output is pending,
 * each window of the write-stall timeout (10 s here) must see {@code minWriteRate} bytes per
 * second taken by the peer. The server queues 64 MiB, more than any kernel buffers hold, so
 * output stays pending; the peer reads as much as the test says between clock moves.
 */
class WriteRateTest {
    private static final Duration WINDOW = Duration.ofSeconds(10);
    private final LoopHarness harness = LoopHarness.start(1);
    private Listener listener;

    @AfterEach
    void stop() {
        if (listener != null) listener.close();
        harness.close();
    }

    /** Serves 64 MiB to each connection and closes it; completes with why it closed (null if orderly). */
    private CompletableFuture<Throwable> serveLargeOutput(int minWriteRate) throws IOException {
        var closed = new CompletableFuture<Throwable>();
        var options = ConnectionOptions.defaults().withWriteStallTimeout(WINDOW).withMinWriteRate(minWriteRate);
        listener = Listener.bind(harness.group(), NetFixture.loopback(), 16, options, () -> new ConnectionHandler() {
            @Override public void onOpen(Connection c) {
                byte[] mebibyte = new byte[1 << 20];
                for (int i = 0; i < 64; i++) c.write(ByteBuffer.wrap(mebibyte));
                c.close();                                                 // flushes it all, then FIN
            }

            @Override public void onRead(Connection c, ByteBuffer in) { in.position(in.limit()); }

            @Override public void onClose(Connection c) { closed.complete(c.failure().orElse(null)); }
        });
        return closed;
    }

    @Test
    void aPeerThatTakesBytesButTooFewPerWindowIsCutOff() throws Exception {
        var closed = serveLargeOutput(100 << 20);         // 100 MiB/s: 1,000 MiB per window
        try (var peer = AdversePeer.connect(listener.localAddress(), 16 << 10)) {
            InputStream in = peer.socket().getInputStream();
            for (int i = 0; i < 3 && !closed.isDone(); i++) {
                in.readNBytes(8 << 20);                                    // progress (more than the kernel buffers hold), but far too little
                Thread.sleep(50);                                          // let the loop write into the room
                harness.advance(WINDOW.dividedBy(2));
            }
            var failure = assertInstanceOf(WriteStalled.class, LoopHarness.await(closed));
            assertTrue(failure.belowMinimumRate(), failure.getMessage());
        }
    }

    @Test
    void aPeerThatTakesNothingIsAStallNotARateFailure() throws Exception {
        var closed = serveLargeOutput(500);
        try (var peer = AdversePeer.connect(listener.localAddress(), 16 << 10)) {
            peer.apply(new AdversePeer.Stall());
            Thread.sleep(100);                                             // the kernel buffers fill
            harness.advance(WINDOW);
            harness.advance(WINDOW);
            var failure = assertInstanceOf(WriteStalled.class, LoopHarness.await(closed));
            assertFalse(failure.belowMinimumRate(), failure.getMessage());
        }
    }

    @Test
    void aPeerThatKeepsUpIsNeverCutOff() throws Exception {
        var closed = serveLargeOutput(1 << 20);         // 1 MiB/s: 10 MiB per window
        try (var peer = AdversePeer.connect(listener.localAddress(), 16 << 10)) {
            InputStream in = peer.socket().getInputStream();
            long total = 0;
            for (int i = 0; i < 6; i++) {                                  // 12 MiB per window, 3 windows
                total += in.readNBytes(6 << 20).length;
                harness.advance(WINDOW.dividedBy(2));
                assertFalse(closed.isDone(), "cut off after " + total + " bytes");
            }
            total += in.readAllBytes().length;
            assertEquals(64L << 20, total, "the whole output arrived");
            peer.close();                                                  // our FIN ends the server's linger
            assertEquals(null, closed.get(10, TimeUnit.SECONDS));
        }
    }
}
