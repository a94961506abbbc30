package dev.weft.protocol.websocket;

import dev.weft.protocol.http.ByteSink;
import dev.weft.protocol.websocket.WebSocketEvent.Signal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

import static dev.weft.protocol.websocket.Frames.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The paths every message takes allocate nothing per frame once warm: reading a small masked
 * frame from a pooled buffer, writing a small frame either role, checking UTF-8. Counted in
 * bytes by the JVM (not timed: ARCHITECTURE.md rule 8 keeps speed claims in weft-bench). A
 * single allocation per frame would show as at least 16 bytes times the frames run.
 */
class HotPathAllocationTest {
    private static final int FRAMES = 100_000;
    private static final long SLACK = 4096;
    private static com.sun.management.ThreadMXBean threads;

    @BeforeAll
    static void counter() {
        threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    }

    /** Bytes allocated by {@code FRAMES} runs, after as many to warm up (compilation, indy bootstraps). */
    private static long allocatedBy(Runnable run) {
        for (int i = 0; i < FRAMES; i++) run.run();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < FRAMES; i++) run.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    /** A sink like a connection's: copies arrays away (here, nowhere), keeps nothing. */
    private static final class Discard implements ByteSink {
        long bytes;

        @Override public void write(byte[] b, int offset, int length) { bytes += length; }

        @Override public void write(ByteBuffer b) { bytes += b.remaining(); }
    }

    @Test
    void readingSmallMaskedFramesFromAPooledBuffer() {
        var decoder = FrameDecoder.server(WebSocketLimits.DEFAULTS);
        byte[] wire = concat(client(TEXT, "{\"op\":\"publish\",\"topic\":\"chat\",\"text\":\"héllo\"}"), client(PING, "hb"),
            frame(false, 0, BINARY, pattern(40), 0x12345678), frame(true, 0, CONTINUATION, pattern(20), 0x9abcdef0));
        ByteBuffer pooled = ByteBuffer.allocateDirect(512);
        long[] events = new long[1];
        long allocated = allocatedBy(() -> {
            pooled.clear().put(wire).flip();
            decoder.feed(pooled);
            while (decoder.next() != Signal.NEED_MORE) events[0]++;
        });
        assertEquals(2L * FRAMES * 8, events[0]);           // start, data, end; ping; start, data; data, end
        assertTrue(allocated < SLACK, allocated + " bytes for " + FRAMES + " reads");
    }

    @Test
    void writingSmallFramesBothRoles() {
        var server = FrameEncoder.server();
        var client = FrameEncoder.client(new SplittableRandom(1));
        var out = new Discard();
        ByteBuffer payload = ByteBuffer.wrap(pattern(100));
        long allocated = allocatedBy(() -> {
            server.text("{\"event\":\"message\",\"id\":42,\"text\":\"κόσμε\"}", out);
            server.binary(payload.clear(), out);
            client.text("ack 42", out);
            client.binary(payload.clear(), out);
            client.ping(payload.clear().limit(8), out);
        });
        assertTrue(out.bytes > 0);
        assertTrue(allocated < SLACK, allocated + " bytes for " + FRAMES + " batches");
    }

    @Test
    void checkingUtf8() {
        var validator = new Utf8Validator();
        byte[] text = "Grüße, κόσμε, 😀 and plenty of ASCII to take the word-at-a-time path".getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(text.length).put(text).flip();
        long allocated = allocatedBy(() -> {
            validator.reset();
            if (validator.check(text, 0, text.length) >= 0 || validator.check(direct, 0, text.length) >= 0) throw new AssertionError();
        });
        assertTrue(allocated < SLACK, allocated + " bytes");
    }
}
