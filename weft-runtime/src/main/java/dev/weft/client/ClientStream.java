package dev.weft.client;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A response whose body is read as a stream, for virtual threads ({@link HttpClient#sendStreaming}):
 * the status and fields at once, the body through {@link #body()} as it arrives. The loop copies
 * each piece into a bounded queue (64 KiB); past it the client stops reading the socket, so a slow
 * reader holds the server back through TCP instead of growing our memory, and reading resumes once
 * half is taken. Closing before the end cancels the exchange (its connection closes).
 */
public final class ClientStream implements AutoCloseable {
    static final int CAPACITY = 64 << 10;

    private final Body body = new Body();
    private final CompletableFuture<ClientStream> headed = new CompletableFuture<>();
    private volatile Status status;
    private volatile Headers headers;
    private ClientCall call;

    ClientStream() {}

    void start(ClientCall call) { this.call = call; }

    ResponseReader reader() { return body; }

    CompletableFuture<ClientStream> headed() { return headed; }

    public Status status() { return status; }

    public Headers headers() { return headers; }

    /** The body, parking the reading thread while nothing has arrived; -1 at its end. */
    public InputStream body() { return body; }

    /** Lets the rest of the body go: an unfinished exchange is cancelled. Idempotent. */
    @Override public void close() { body.close(); }

    private final class Body extends InputStream implements ResponseReader {
        private final ReentrantLock lock = new ReentrantLock();     // a parked virtual thread frees its carrier
        private final Condition arrived = lock.newCondition();
        private final ArrayDeque<byte[]> pieces = new ArrayDeque<>();
        private byte[] current;
        private int offset, buffered;
        private boolean ended, paused, closed;
        private Throwable failure;

        // ---- the loop's side ----

        @Override public void onHead(Status s, Headers h) {
            status = s;
            headers = h;
            headed.complete(ClientStream.this);
        }

        @Override public boolean onBytes(ByteBuffer piece) {
            byte[] copy = new byte[piece.remaining()];
            piece.get(copy);
            lock.lock();
            try {
                if (closed) return true;                      // discarded: the reader gave up
                pieces.add(copy);
                buffered += copy.length;
                arrived.signalAll();
                paused = buffered >= CAPACITY;
                return !paused;
            } finally {
                lock.unlock();
            }
        }

        @Override public void onEnd(Headers trailers) { finish(null); }

        @Override public void onFailure(Throwable cause) {
            headed.completeExceptionally(cause);
            finish(cause);
        }

        private void finish(Throwable cause) {
            lock.lock();
            try {
                ended = true;
                failure = cause;
                arrived.signalAll();
            } finally {
                lock.unlock();
            }
        }

        // ---- the reader's side ----

        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) return 0;
            boolean resume = false;
            int n;
            lock.lock();
            try {
                while (current == null) {
                    current = pieces.poll();
                    offset = 0;
                    if (current != null) break;
                    if (closed) throw new IOException("the body stream is closed");
                    if (ended) {
                        if (failure != null) throw new IOException("the response failed: " + failure.getMessage(), failure);
                        return -1;
                    }
                    arrived.await();
                }
                n = Math.min(len, current.length - offset);
                System.arraycopy(current, offset, b, off, n);
                offset += n;
                buffered -= n;
                if (offset == current.length) current = null;
                if (paused && buffered <= CAPACITY / 2) {
                    paused = false;
                    resume = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                call.cancel();                                 // as sendBlocking does: an interrupted reader gives up the exchange
                throw new InterruptedIOException("interrupted while waiting for the response body");
            } finally {
                lock.unlock();
            }
            if (resume) call.resume();
            return n;
        }

        @Override public int available() {
            lock.lock();
            try {
                return buffered;
            } finally {
                lock.unlock();
            }
        }

        @Override public void close() {
            boolean cancel;
            lock.lock();
            try {
                if (closed) return;
                closed = true;
                cancel = !ended;
                pieces.clear();
                current = null;
                buffered = 0;
                arrived.signalAll();
            } finally {
                lock.unlock();
            }
            if (cancel && call != null) call.cancel();
        }
    }
}
