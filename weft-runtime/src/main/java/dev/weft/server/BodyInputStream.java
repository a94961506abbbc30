package dev.weft.server;

import dev.weft.protocol.http.Headers;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@link Request#bodyStream()}: the blocking bridge for request bodies. The loop copies each piece
 * into a bounded queue (64 KiB); the reading virtual thread takes from it and parks while it is
 * empty. When the queue is full the reader tells the server to pause ({@code onBytes} returns
 * false), so the socket is not read (ARCHITECTURE.md rule 4); once the reader has taken half, it resumes.
 *
 * <p>Reading starts (and a {@code 100 Continue} goes out) on the first read, not before.
 * A lock and a condition, not {@code synchronized}, so a parked virtual thread frees its carrier.
 */
final class BodyInputStream extends InputStream implements BodyReader {
    static final int CAPACITY = 64 << 10;

    private final Exchange exchange;
    private final long maxBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<byte[]> pieces = new ArrayDeque<>();
    private byte[] current;
    private int offset;
    private int buffered;
    private long reserved;               // of the bytes buffered, those reserved against the server's budget
    private boolean started, ended, paused, closed;
    private Throwable failure;

    BodyInputStream(Exchange exchange, long maxBytes) {
        this.exchange = exchange;
        this.maxBytes = maxBytes;
    }

    // ---- the loop's side (BodyReader) ----

    @Override public boolean onBytes(ByteBuffer piece) {
        byte[] copy = new byte[piece.remaining()];
        piece.get(copy);
        boolean withinBudget = !(exchange instanceof HttpExchange ex) || ex.reserveBody(copy.length);
        lock.lock();
        try {
            if (closed) {                                   // discard: the reader gave up
                if (withinBudget) release(copy.length);
                return true;
            }
            pieces.add(copy);
            buffered += copy.length;
            if (withinBudget) reserved += copy.length;
            arrived.signalAll();
            // Past the server's memory budget the piece is kept (it was already read) but reading
            // pauses until the reader has taken what is queued.
            paused = buffered >= CAPACITY || !withinBudget;
            return !paused;
        } finally {
            lock.unlock();
        }
    }

    private void release(long n) {
        if (n > 0 && exchange instanceof HttpExchange ex) ex.releaseBody(n);
    }

    @Override public void onEnd(Headers trailers) { finish(null); }

    @Override public void onFailure(Throwable cause) { finish(cause); }

    @Override public long maxBytes() { return maxBytes; }

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

    // ---- the reading thread's side ----

    @Override public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override public int read(byte[] into, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, into.length);
        if (len == 0) return 0;
        boolean resume;
        int n;
        long toRelease = 0;
        lock.lock();
        try {
            start();
            while (current == null && (current = pieces.poll()) == null) {
                if (ended) return endOfBody();
                arrived.await();
            }
            n = Math.min(len, current.length - offset);
            System.arraycopy(current, offset, into, off, n);
            offset += n;
            buffered -= n;
            long taken = Math.min(n, reserved);
            reserved -= taken;
            toRelease = taken;
            if (offset == current.length) {
                current = null;
                offset = 0;
            }
            resume = paused && buffered <= CAPACITY / 2;
            if (resume) paused = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the request body");
        } finally {
            lock.unlock();
        }
        release(toRelease);
        if (resume) exchange.resumeBody();
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
        long held;
        lock.lock();
        try {
            closed = true;
            pieces.clear();
            current = null;
            buffered = 0;
            held = reserved;
            reserved = 0;
        } finally {
            lock.unlock();
        }
        release(held);
        if (paused) exchange.resumeBody();             // let the rest drain past us
    }

    private void start() {
        if (started) return;
        started = true;
        lock.unlock();
        try {
            exchange.readBody(this);
        } finally {
            lock.lock();
        }
    }

    private int endOfBody() throws IOException {
        if (failure == null) return -1;
        throw failure instanceof IOException io ? io : new IOException("the request body failed: " + failure, failure);
    }
}
