package dev.weft.server;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.http1.BodyFraming;
import dev.weft.protocol.http1.RequestTarget;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * An {@link ExchangeHost} whose "loop" is one platform thread: enough to test the exchange, its
 * stream and the blocking bridges without sockets. Records what the exchange asked of it.
 */
final class FakeHost implements ExchangeHost, AutoCloseable {
    final ExecutorService loop = Executors.newSingleThreadExecutor(r -> new Thread(r, "fake-loop"));
    final List<HttpExchange> replies = new CopyOnWriteArrayList<>();

    @Override public void setWatermarks(int high, int low) {}

    @Override public dev.weft.loop.EventLoop eventLoop() { throw new UnsupportedOperationException("a fake host has no event loop"); }
    final List<HttpExchange> wanted = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final ByteArrayOutputStream written = new ByteArrayOutputStream();
    volatile boolean writable = true;
    volatile boolean ended;
    volatile boolean aborted;
    volatile long pending;

    static Request request(Method method, String target, BodyFraming framing, RequestScope scope) {
        return new Request(method, new RequestTarget(RequestTarget.Form.ORIGIN, target), Version.HTTP_1_1,
                new Headers(), framing, new InetSocketAddress("127.0.0.1", 1), scope);
    }

    HttpExchange exchange(Request request) { return new HttpExchange(this, request, 0); }

    /** Runs {@code task} on the fake loop and waits for it. */
    void onLoop(ThrowingRunnable task) throws Exception {
        Future<?> f = loop.submit(() -> {
            task.run();
            return null;
        });
        f.get(10, TimeUnit.SECONDS);
    }

    /** Waits until every task queued so far has run. */
    void sync() throws Exception { onLoop(() -> {}); }

    interface ThrowingRunnable { void run() throws Exception; }

    @Override public void execute(Runnable task) {
        if (inLoop()) task.run();
        else loop.execute(task);
    }

    @Override public void post(Runnable task) { loop.execute(task); }

    @Override public boolean inLoop() { return Thread.currentThread().getName().equals("fake-loop"); }

    @Override public void replyReady(HttpExchange exchange) { replies.add(exchange); }

    @Override public void readingStarted(HttpExchange exchange, long maxBytes) { bodyWanted(exchange); }

    @Override public void bodyWanted(HttpExchange exchange) {
        wanted.add(exchange);
        onWanted.accept(exchange);
    }

    /** What the "connection" does when a reader wants bytes (runs on the fake loop). */
    volatile java.util.function.Consumer<HttpExchange> onWanted = _ -> {};

    @Override public void writeBody(HttpExchange exchange, ByteBuffer piece) {
        byte[] b = new byte[piece.remaining()];
        piece.get(b);
        synchronized (written) {
            written.writeBytes(b);
        }
        pending += b.length;
    }

    @Override public void endBody(HttpExchange exchange, Headers trailers) { ended = true; }

    @Override public void abortBody(HttpExchange exchange) { aborted = true; }

    @Override public boolean isWritable() { return writable; }

    @Override public long pendingBytes() { return pending; }

    @Override public int highWaterMark() { return 64 << 10; }

    @Override public void handlerFailed(HttpExchange exchange, Throwable failure) { failures.add(failure); }

    /** Bytes the exchanges hold against the budget now; {@code budget} is what they may hold. */
    final java.util.concurrent.atomic.AtomicLong reserved = new java.util.concurrent.atomic.AtomicLong();
    volatile long budget = Long.MAX_VALUE;
    final List<HttpExchange> turnedAway = new CopyOnWriteArrayList<>();

    @Override public boolean reserve(long n) {
        if (reserved.get() + n > budget) return false;
        reserved.addAndGet(n);
        return true;
    }

    @Override public void release(long n) { reserved.addAndGet(-n); }

    @Override public void turnAway(HttpExchange exchange) { turnedAway.add(exchange); }

    @Override public void replyDeadlineChanged(HttpExchange exchange) { }

    byte[] writtenBytes() {
        synchronized (written) {
            return written.toByteArray();
        }
    }

    @Override public void close() { loop.shutdownNow(); }
}
