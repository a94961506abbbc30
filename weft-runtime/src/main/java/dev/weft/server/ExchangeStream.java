package dev.weft.server;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.UsageViolation;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's {@link ResponseStream}.
 *
 * <h2>Theory of operation</h2>
 * Producers on any thread turn each call into a task for the loop; the loop hands pieces to the
 * connection once this exchange's head is on the wire ({@link #attach}), holding them until then
 * (a pipelined response waits for the ones before it). Readiness is the connection's writability
 * as last seen by the loop ({@code writable}), and'ed with a bound on bytes still in tasks
 * ({@code inTransit} below the high-water mark), so a producer on another thread is held back
 * before the loop has even seen its writes. A producer that heeds readiness therefore holds at most
 * about twice the high-water mark: the connection's queue up to the mark, and as much in tasks.
 *
 * <p>Order: a call made on the loop runs at once only when no task of this stream is queued
 * ({@code queued} is zero); otherwise it queues behind them, so a close() on the loop can never
 * overtake a write still in the inbox.
 */
final class ExchangeStream implements ResponseStream {
    static final int OVERRUN_FACTOR = 4;

    private final HttpExchange exchange;
    private final ExchangeHost host;
    private final Response head;
    private final AtomicLong inTransit = new AtomicLong();      // bytes in tasks or held
    private final AtomicInteger queued = new AtomicInteger();   // tasks not yet run
    private volatile boolean open = true;
    private volatile boolean closing;                           // close() was called
    private volatile boolean writable;                          // loop's last view; false until attached
    private volatile long pendingOnConnection;                  // loop's last view of the connection

    // loop-only
    private boolean attached;
    // Made when first needed and let go when drained: an event stream that idles between
    // heartbeats keeps neither.
    private ArrayDeque<ByteBuffer> held;                          // pieces written before the head went
    private ArrayDeque<CompletableFuture<Void>> waiting;          // sends waiting for the low-water mark
    private List<Runnable> readyCallbacks = List.of();
    private Headers trailers;                                   // non-null once ended on the loop

    ExchangeStream(HttpExchange exchange, ExchangeHost host, Response head) {
        this.exchange = exchange;
        this.host = host;
        this.head = head;
    }

    /** Whether the caller is this stream's loop (which must never block on it). */
    boolean inLoop() { return host.inLoop(); }

    /** The status and headers to write first. */
    Response head() { return head; }

    @Override public CompletionStage<Void> write(ByteBuffer piece) {
        if (closing) throw new UsageViolation("write after close()");
        if (!open) return CompletableFuture.failedFuture(gone());
        long queued = inTransit.get() + pendingOnConnection;
        if (queued >= OVERRUN_FACTOR * host.highWaterMark()) return overrun(queued);
        int n = piece.remaining();
        inTransit.addAndGet(n);
        var done = new CompletableFuture<Void>();
        run(() -> writeOnLoop(piece, n, done));
        return done;
    }

    @Override public boolean isReady() {
        return open && !closing && writable && inTransit.get() < host.highWaterMark();
    }

    @Override public void onReady(Runnable callback) {
        run(() -> {
            if (!open) return;
            if (attached && writable) exchange.runGuarded(callback::run);
            else {
                if (readyCallbacks.isEmpty()) readyCallbacks = new ArrayList<>(1);
                readyCallbacks.add(callback);
            }
        });
    }

    @Override public long pendingBytes() { return inTransit.get() + pendingOnConnection; }

    @Override public boolean isOpen() { return open && !closing; }

    @Override public void close() { close(Headers.empty()); }

    @Override public void close(Headers trailers) {
        if (closing) return;
        closing = true;
        run(() -> endOnLoop(trailers));
    }

    @Override public void abort() {
        if (!open) return;
        open = false;                                           // later writes fail at once, not throw
        run(() -> {
            failWaiting();
            if (attached) host.abortBody(exchange);
            else exchange.cancel(gone());
        });
    }

    @Override public OutputStream outputStream() { return new StreamOutputStream(this); }

    /**
     * A producer that heeds readiness holds at most about twice the high-water mark (see the
     * theory above); one that writes past {@value #OVERRUN_FACTOR} times it ignores every signal
     * and would grow memory without bound, so its response is aborted and the write fails.
     */
    private CompletionStage<Void> overrun(long queued) {
        var bug = new UsageViolation("a response stream was written with " + queued + " bytes already queued: "
                + "the producer ignored isReady(), onReady() and the write stages");
        host.handlerFailed(exchange, bug);
        abort();
        return CompletableFuture.failedFuture(bug);
    }

    private void run(Runnable task) {
        if (host.inLoop() && queued.get() == 0) {
            task.run();
            return;
        }
        queued.incrementAndGet();
        host.post(() -> {
            queued.decrementAndGet();
            task.run();
        });
    }

    private void writeOnLoop(ByteBuffer piece, int n, CompletableFuture<Void> done) {
        if (!open) {
            inTransit.addAndGet(-n);
            done.completeExceptionally(gone());
            return;
        }
        if (!attached) {
            if (held == null) held = new ArrayDeque<>(2);
            held.add(piece);
            waitFor(done);
            return;
        }
        inTransit.addAndGet(-n);
        host.writeBody(exchange, piece);
        afterWrite(done);
    }

    private void afterWrite(CompletableFuture<Void> done) {
        writable = host.isWritable();
        pendingOnConnection = host.pendingBytes();
        if (writable) done.complete(null);
        else waitFor(done);
    }

    private void waitFor(CompletableFuture<Void> done) {
        if (waiting == null) waiting = new ArrayDeque<>(2);
        waiting.add(done);
    }

    private void endOnLoop(Headers t) {
        if (!open || trailers != null) return;
        trailers = t;
        if (attached) finish();
    }

    private void finish() {
        open = false;
        writable = false;
        host.endBody(exchange, trailers);
        completeWaiting();
    }

    // ---- called by the connection, on the loop ----

    /** This exchange's head has been written: hand over what was held. */
    void attach() {
        attached = true;
        if (held != null) {
            while (!held.isEmpty() && open) {
                ByteBuffer piece = held.poll();
                inTransit.addAndGet(-piece.remaining());
                host.writeBody(exchange, piece);
            }
            held = null;
        }
        writable = host.isWritable();
        pendingOnConnection = host.pendingBytes();
        if (trailers != null) finish();
        else if (writable) onWritable();
    }

    /** The connection went below its low-water mark. */
    void onWritable() {
        if (!open || !attached) return;
        writable = true;
        pendingOnConnection = host.pendingBytes();
        completeWaiting();
        List<Runnable> callbacks = readyCallbacks;
        readyCallbacks = List.of();
        for (Runnable r : callbacks) exchange.runGuarded(r::run);
    }

    /** The client left, or the response was aborted. */
    void cancelled() {
        open = false;
        writable = false;
        held = null;
        inTransit.set(0);
        readyCallbacks = List.of();
        failWaiting();
    }

    private static IOException gone() { return new IOException("the client is gone or the response ended"); }

    // The queue is let go before the futures complete: one completed here may send again at once.
    private void completeWaiting() {
        ArrayDeque<CompletableFuture<Void>> w = waiting;
        waiting = null;
        if (w != null) for (CompletableFuture<Void> f; (f = w.poll()) != null; ) f.complete(null);
    }

    private void failWaiting() {
        ArrayDeque<CompletableFuture<Void>> w = waiting;
        waiting = null;
        if (w != null) for (CompletableFuture<Void> f; (f = w.poll()) != null; ) f.completeExceptionally(gone());
    }
}
