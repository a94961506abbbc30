package dev.weft.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.loop.BufferPool;
import dev.weft.loop.EventLoop;
import dev.weft.loop.spi.FileSource;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import dev.weft.loop.spi.StreamSocket;
import dev.weft.testing.LoopHarness;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The write queue against a fake channel that takes a set number of bytes per call. */
class WriteQueueTest {
    private final LoopHarness harness = LoopHarness.start(1);

    @AfterEach
    void stop() { harness.close(); }

    /** Takes at most {@code budget} bytes per call; remembers what it was offered. */
    private static final class Trickle implements StreamSocket {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        int budget;
        long maxOffered;
        int calls;

        Trickle(int budget) { this.budget = budget; }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            calls++;
            long offered = 0;
            for (int i = offset; i < offset + length; i++) offered += srcs[i].remaining();
            maxOffered = Math.max(maxOffered, offered);
            int left = budget;
            for (int i = offset; i < offset + length && left > 0; i++) {
                int n = Math.min(left, srcs[i].remaining());
                byte[] bytes = new byte[n];
                srcs[i].get(bytes);
                received.write(bytes, 0, n);
                left -= n;
            }
            return budget - left;
        }

        @Override public Registration register(EventLoop loop, int interestOps, Readiness handler) { throw new UnsupportedOperationException(); }
        @Override public int read(ByteBuffer dst) { throw new UnsupportedOperationException(); }
        @Override public long transferFrom(FileSource file, long position, long count) { throw new UnsupportedOperationException(); }
        @Override public boolean finishConnect() { return true; }
        @Override public void shutdownOutput() { }
        @Override public void resetOnClose() { }
        @Override public void setNoDelay(boolean on) { }
        @Override public boolean setCork(boolean on) { return false; }
        @Override public InetSocketAddress remoteAddress() { return null; }
        @Override public InetSocketAddress localAddress() { return null; }
        @Override public void close() { }
    }

    @Test
    void mixedCopiesAndReferencesGoOutInOrderAndPooledBuffersComeBack() {
        harness.run(loop -> {
            BufferPool pool = loop.buffers();
            var queue = new WriteQueue();
            var expected = new ByteArrayOutputStream();
            var random = ThreadLocalRandom.current();
            for (int i = 0; i < 200; i++) {
                byte[] bytes = new byte[random.nextInt(1, 3000)];
                random.nextBytes(bytes);
                expected.write(bytes, 0, bytes.length);
                if (random.nextBoolean()) queue.copy(bytes, 0, bytes.length, pool);
                else queue.add(ByteBuffer.wrap(bytes));
            }
            assertEquals(expected.size(), queue.pending());
            var channel = new Trickle(777);
            while (!queue.isEmpty()) queue.writeTo(channel, pool);
            assertEquals(0, queue.pending());
            assertArrayEquals(expected.toByteArray(), channel.received.toByteArray());
            assertEquals(0, pool.lent(), "every pooled buffer released once sent");
        });
    }

    @Test
    void smallCopiesCoalesceIntoOnePooledBuffer() {
        harness.run(loop -> {
            BufferPool pool = loop.buffers();
            var queue = new WriteQueue();
            for (int i = 0; i < 100; i++) queue.copy(new byte[] {(byte) i, (byte) i}, 0, 2, pool);
            assertEquals(1, pool.lent());
            var channel = new Trickle(1 << 20);
            queue.writeTo(channel, pool);
            assertEquals(1, channel.calls, "one gathering write");
            assertEquals(0, pool.lent());
        });
    }

    @Test
    void aPartlySentPooledBufferStillTakesMoreCopies() {
        harness.run(loop -> {
            BufferPool pool = loop.buffers();
            var queue = new WriteQueue();
            queue.copy("hello ".getBytes(), 0, 6, pool);
            var channel = new Trickle(3);
            queue.writeTo(channel, pool);                  // "hel" out, "lo " left
            queue.copy("world".getBytes(), 0, 5, pool);    // appended behind what is left
            assertEquals(1, pool.lent());
            channel.budget = 100;
            queue.writeTo(channel, pool);
            assertEquals("hello world", channel.received.toString());
            assertEquals(0, pool.lent());
        });
    }

    @Test
    void oneWriteIsOfferedAtMostOneMebibyteEvenOfAHugeHeapBuffer() {
        harness.run(loop -> {
            BufferPool pool = loop.buffers();
            var queue = new WriteQueue();
            byte[] big = new byte[5 << 20];
            Arrays.fill(big, (byte) 1);
            queue.add(ByteBuffer.wrap(big));
            queue.add(ByteBuffer.wrap(new byte[] {2}));
            var channel = new Trickle(4 << 20);
            while (!queue.isEmpty()) queue.writeTo(channel, pool);
            assertTrue(channel.maxOffered <= 1 << 20, "offered " + channel.maxOffered);
            byte[] got = channel.received.toByteArray();
            assertEquals((5 << 20) + 1, got.length);
            assertEquals(2, got[got.length - 1]);
        });
    }

    @Test
    void manyReferencesGrowTheArraysAndDrainingShrinksThemBack() {
        harness.run(loop -> {
            BufferPool pool = loop.buffers();
            var queue = new WriteQueue();
            var channel = new Trickle(10);
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 100; i++) queue.add(ByteBuffer.wrap(new byte[] {(byte) i}));
                queue.writeTo(channel, pool);                 // partial: forces compaction later
                for (int i = 0; i < 100; i++) queue.add(ByteBuffer.wrap(new byte[] {(byte) i}));
                channel.budget = 1 << 20;
                queue.writeTo(channel, pool);
                channel.budget = 10;
                assertTrue(queue.isEmpty());
            }
            assertEquals(600, channel.received.size());
        });
    }
}
