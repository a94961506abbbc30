package dev.weft.server;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.http1.BodyFraming;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The virtual-thread side of bodies: the request InputStream and the response OutputStream. */
class BlockingBridgeTest {
    private final FakeHost host = new FakeHost();
    private final RequestScope scope = new RequestScope(List.of(), 1 << 20);

    @AfterEach void stop() { host.close(); }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (i * 31 + 7);
        return b;
    }

    /** Plays the connection: delivers 16 KiB pieces while the reader wants them, stops when it pauses. */
    private void feedWhenWanted(HttpExchange ex, byte[] body, AtomicInteger pauses) {
        int[] at = {0};
        host.onWanted = e -> {
            while (e.bodyState() == HttpExchange.BodyState.WANTED && at[0] < body.length) {
                int n = Math.min(16 << 10, body.length - at[0]);
                if (!e.deliver(ByteBuffer.wrap(body, at[0], n).asReadOnlyBuffer())) pauses.incrementAndGet();
                at[0] += n;
            }
            if (at[0] == body.length && e.bodyState() == HttpExchange.BodyState.WANTED) e.deliverEnd(Headers.empty());
        };
    }

    @Test void bodyStreamReadsEverythingWithBackpressure() throws Exception {
        byte[] body = pattern(1 << 20);
        var ex = host.exchange(FakeHost.request(Method.POST, "/up", new BodyFraming.Fixed(body.length), scope));
        var pauses = new AtomicInteger();
        feedWhenWanted(ex, body, pauses);
        var read = new CompletableFuture<byte[]>();
        Thread.ofVirtual().start(() -> {
            try (InputStream in = ex.request().bodyStream()) {
                read.complete(in.readAllBytes());
            } catch (Throwable t) {
                read.completeExceptionally(t);
            }
        });
        assertArrayEquals(body, read.get(10, TimeUnit.SECONDS));
        assertTrue(pauses.get() > 0, "the 64 KiB queue should have paused the socket at least once");
        assertTrue(host.wanted.size() > 1, "and resumed it");
    }

    @Test void nothingIsReadUntilTheHandlerAsks() throws Exception {
        var ex = host.exchange(FakeHost.request(Method.POST, "/up", new BodyFraming.Fixed(4), scope));
        host.sync();
        assertTrue(host.wanted.isEmpty());
        assertEquals(HttpExchange.BodyState.UNREAD, ex.bodyState());
    }

    @Test void bodyOnVirtualThreadIsReadWholeAndFailureSurfaces() throws Exception {
        var ex = host.exchange(FakeHost.request(Method.POST, "/up", new BodyFraming.Fixed(3), scope));
        host.onWanted = e -> e.deliverFailure(new IOException("client reset"));
        var failed = new CompletableFuture<Throwable>();
        Thread.ofVirtual().start(() -> {
            try {
                ex.request().body();
                failed.complete(null);
            } catch (Throwable t) {
                failed.complete(t);
            }
        });
        assertTrue(failed.get(5, TimeUnit.SECONDS) instanceof java.io.UncheckedIOException);
        assertThrows(UsageViolation.class, () -> ex.request().body(), "not on a platform thread");
    }

    @Test void outputStreamParksWhileTheConnectionIsNotWritable() throws Exception {
        var ex = host.exchange(FakeHost.request(Method.GET, "/down", BodyFraming.EMPTY, scope));
        host.writable = false;
        ResponseStream stream = ex.stream(Status.OK, new Headers());
        host.sync();
        host.onLoop(() -> ((HttpExchange.Reply.Streaming) ex.replyState()).stream().attach());
        byte[] body = pattern(100_000);
        var done = new CompletableFuture<Void>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream out = stream.outputStream()) {
                out.write(body);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
            done.complete(null);
        });
        awaitParked(writer);
        host.sync();                                    // the piece it wrote may still be in the loop's queue
        assertEquals(StreamOutputStream.BUFFER, host.writtenBytes().length, "held back after one piece");
        host.writable = true;
        host.onLoop(() -> ((HttpExchange.Reply.Streaming) ex.replyState()).stream().onWritable());
        done.get(10, TimeUnit.SECONDS);
        host.sync();
        assertArrayEquals(body, host.writtenBytes());
        assertTrue(host.ended);
    }

    @Test void streamReportsNotReadyAndCompletesStagesWhenWritable() throws Exception {
        var ex = host.exchange(FakeHost.request(Method.GET, "/down", BodyFraming.EMPTY, scope));
        ResponseStream stream = ex.stream(Status.OK, new Headers());
        host.sync();
        assertTrue(!stream.isReady(), "not ready before its head is written");
        var early = stream.write("early ");
        host.onLoop(() -> ((HttpExchange.Reply.Streaming) ex.replyState()).stream().attach());
        assertTrue(early.toCompletableFuture().isDone());
        assertTrue(stream.isReady());
        host.writable = false;
        var stage = stream.write("late").toCompletableFuture();
        host.sync();
        assertTrue(!stage.isDone() && !stream.isReady());
        var ready = new CompletableFuture<Boolean>();
        stream.onReady(() -> ready.complete(true));
        host.writable = true;
        host.onLoop(() -> ((HttpExchange.Reply.Streaming) ex.replyState()).stream().onWritable());
        assertTrue(ready.get(5, TimeUnit.SECONDS));
        assertTrue(stage.isDone());
        stream.close();
        host.sync();
        assertEquals("early late", new String(host.writtenBytes()));
        assertTrue(host.ended);
        assertThrows(UsageViolation.class, () -> stream.write("after"));
    }

    private static void awaitParked(Thread t) throws InterruptedException {
        for (int i = 0; i < 500 && t.getState() != Thread.State.WAITING; i++) Thread.sleep(10);
        assertEquals(Thread.State.WAITING, t.getState());
    }
}
