package dev.weft.net;

import dev.weft.internal.Log;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Timer;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import dev.weft.protocol.http.ByteSink;
import dev.weft.loop.nio.NioTransport;
import dev.weft.loop.spi.StreamSocket;
import dev.weft.loop.spi.TcpInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One TCP connection, owned by one loop for its whole life (ARCHITECTURE.md rule 1). Loop thread only
 * (asserted), except where marked. Reset, broken pipe and EOF are normal closes, logged at DEBUG.
 *
 * <p>Lifecycle, in numbered steps (the {@code State} enum):
 * <ol>
 *   <li>OPEN: registered for OP_READ. On readable, the loop lends a pooled buffer, reads into it
 *       (at most {@value #MAX_READS_PER_WAKEUP} reads or 64 KiB per wakeup, so one busy peer
 *       cannot starve the others), hands it to {@link ConnectionHandler#onRead}, and takes it
 *       back unless the handler left bytes in it. EOF calls {@code onInputClosed}.
 *   <li>Writes queue buffers ({@link WriteQueue}); {@link #flush()} sends with one gathering
 *       write. OP_WRITE is watched only while bytes remain. While they do, one timer judges the
 *       peer in windows of the write-stall timeout: no byte taken for that long, or fewer than
 *       {@code minWriteRate} bytes per second over a window, aborts with {@link WriteStalled}.
 *       The timer is armed when output starts waiting and fires about once per window, so a busy
 *       connection does not re-arm it on every write.
 *   <li>FLUSHING: {@link #close()} was called; no more reads are delivered; queued bytes drain.
 *   <li>LINGERING: everything was sent, so we send FIN (shutdownOutput) and read and discard
 *       until the peer's FIN, for at most min(write-stall timeout, 5 s) (nginx's
 *       {@code lingering_timeout}). Closing a socket with unread input makes the kernel send RST,
 *       which can destroy our last response before the peer has read it; lingering avoids that.
 *   <li>CLOSED: channel closed, buffers back in the pool, {@code onClose} called once.
 *       {@link #abort()} jumps here from any state with SO_LINGER 0, which sends RST.
 * </ol>
 *
 * <p>Idle cost (ARCHITECTURE.md rule 3): this object, its {@code Io} relay and its transport's socket
 * (with epoll one small object; with java.nio the JDK's channel, key and their locks); no byte
 * buffers, and no {@link WriteQueue}, which exists only while output waits. The stall timer and
 * the sink are made on first use and kept.
 */
public final class Connection {
    private static final Log LOG = Log.of(Connection.class);
    private static final AtomicLong IDS = new AtomicLong();
    private static final int MAX_READS_PER_WAKEUP = 4;
    private static final int MAX_BYTES_PER_WAKEUP = 64 << 10;
    private static final Duration MAX_LINGER = Duration.ofSeconds(5);

    private enum State { OPEN, FLUSHING, LINGERING, CLOSED }

    private final EventLoop loop;
    private final long id;
    private final StreamSocket socket;
    private final ConnectionOptions options;
    private volatile int highWaterMark;         // the options' unless set otherwise (setWatermarks)
    private int lowWaterMark;
    private final ConnectionHandler handler;
    private final Io io = new Io();
    private final Registration registration;
    private State state = State.OPEN;
    private volatile boolean open = true;       // state == OPEN, for other threads
    private boolean readSuspended;
    private boolean inputClosed;
    private boolean unwritable;                 // crossed the high-water mark, not yet back to low
    private boolean redeliverQueued;
    private boolean delivering;                 // inside handler.onRead, the read buffer checked out
    private ByteBuffer readBuffer;              // bytes the handler left, read mode; else null
    private WriteQueue writes;                  // made on first write
    private ByteSink sink;                      // made on first use
    private Timer timer;                        // write stall, then linger; made on first use
    private DataRate taken;                     // how the peer takes our output while some waits; made on first use
    private Throwable failure;

    private Connection(EventLoop loop, StreamSocket socket, ConnectionOptions options,
                       ConnectionHandler handler) throws IOException {
        this.loop = loop;
        this.id = IDS.incrementAndGet();
        this.socket = socket;
        this.options = options;
        this.highWaterMark = options.highWaterMark();
        this.lowWaterMark = options.lowWaterMark();
        this.handler = handler;
        this.registration = socket.register(loop, SelectionKey.OP_READ, io);
        try {
            socket.setNoDelay(options.tcpNoDelay());
        } catch (IOException e) {
            registration.cancel();
            throw e;
        }
    }

    /**
     * Takes over a connected socket of the loop's transport (accepted by a {@link Listener}, or
     * connected by {@link Connector}): sets TCP_NODELAY per {@code options}, registers it on
     * {@code loop}, counts it open and calls {@code onOpen}. Loop thread of {@code loop} only.
     */
    public static Connection adopt(EventLoop loop, StreamSocket socket, ConnectionOptions options,
                                   ConnectionHandler handler) throws IOException {
        assert loop.inLoop() : "adopt off the loop: " + Thread.currentThread();
        var connection = new Connection(loop, socket, Objects.requireNonNull(options),
                Objects.requireNonNull(handler));
        loop.counters().connectionOpened();
        try {
            handler.onOpen(connection);
        } catch (RuntimeException | Error e) {
            connection.handlerFailed(e);
        }
        return connection;
    }

    /**
     * Takes over a java.nio channel connected elsewhere (made non-blocking here). On an epoll loop
     * it works too, polled as a foreign channel (see {@link dev.weft.loop.epoll.EpollPoller}).
     */
    public static Connection adopt(EventLoop loop, SocketChannel channel, ConnectionOptions options,
                                   ConnectionHandler handler) throws IOException {
        return adopt(loop, NioTransport.wrap(channel), options, handler);
    }

    /** Any thread. */
    public EventLoop loop() { return loop; }

    /** Any thread: unique in this JVM. */
    public long id() { return id; }

    /** Any thread. */
    public InetSocketAddress remoteAddress() { return socket.remoteAddress(); }

    /** Any thread; null if asked first after the connection closed. */
    public InetSocketAddress localAddress() { return socket.localAddress(); }

    /**
     * Loop thread: the kernel's round-trip time, congestion window and unsent bytes for this
     * connection, where the transport can ask (epoll); empty otherwise or once closed.
     */
    public Optional<TcpInfo> tcpInfo() {
        assertInLoop();
        return state == State.CLOSED ? Optional.empty() : Optional.ofNullable(socket.tcpInfo());
    }

    /**
     * Queues {@code bytes} by reference (no copy); the caller must not change them afterwards.
     * Nothing is sent before {@link #flush()}. Ignored once the connection is closing.
     */
    public void write(ByteBuffer bytes) {
        assertInLoop();
        if (state != State.OPEN) return;
        queue().add(bytes);
        checkHighWater();
    }

    /**
     * Queues a span of a file, sent with transferTo (sendfile) after what is queued before it and
     * before what is queued after. Nothing is sent before {@link #flush()}. If the connection is
     * closing, or when it ends before the region is sent, the region's channel is released.
     */
    public void write(FileRegion region) {
        assertInLoop();
        if (state != State.OPEN) {
            region.release();
            return;
        }
        try {
            queue().add(region, loop.buffers());
        } catch (IOException e) {
            closeOnIoFailure(e);                 // what was announced cannot be sent: end it here
            return;
        }
        checkHighWater();
    }

    /**
     * A {@link ByteSink} over this connection's queue: {@code write(byte[],..)} copies into pooled
     * buffers (returned to the pool once sent), {@code write(ByteBuffer)} queues by reference.
     */
    public ByteSink sink() {
        assertInLoop();
        if (sink == null) sink = new Sink();
        return sink;
    }

    /**
     * Writes as much as the socket takes now with one gathering write; watches OP_WRITE only while
     * bytes remain; keeps the write-stall timer armed while they do.
     */
    public void flush() {
        assertInLoop();
        if (writes == null || writes.isEmpty() || (state != State.OPEN && state != State.FLUSHING)) return;
        long n;
        try {
            n = writes.writeTo(socket, loop.buffers());
        } catch (IOException e) {
            closeOnIoFailure(e);
            return;
        }
        if (n > 0) loop.counters().addBytesWritten(n);
        afterWrite(n);
    }

    /** Any thread: the high-water mark this connection's output is held to. */
    public int highWaterMark() { return highWaterMark; }

    /**
     * Holds this connection's output to other water marks from now on (loop thread): a long-lived
     * stream to a client that may stop reading keeps less in memory with lower ones, its producer
     * holding the rest (a topic subscriber's messages are shared, so they cost it a reference).
     */
    public void setWatermarks(int high, int low) {
        assertInLoop();
        if (high < 1 || low < 0 || low > high) throw new IllegalArgumentException("water marks: high " + high + ", low " + low);
        highWaterMark = high;
        lowWaterMark = low;
        checkHighWater();
    }

    public long pendingBytes() {
        assertInLoop();
        return writes == null ? 0 : writes.pending();
    }

    /**
     * Below the high-water mark; once above it, false until pending output falls to the low one.
     * The marks bound the memory the output holds: unsent bytes, plus the unused room of pooled
     * buffers in the queue (so many small replies cannot each pin a whole buffer unnoticed).
     */
    public boolean isWritable() {
        assertInLoop();
        return !unwritable;
    }

    /** Stops reading (backpressure toward the peer). */
    public void suspendRead() {
        assertInLoop();
        if (readSuspended) return;
        readSuspended = true;
        updateInterest();
    }

    /** Reads again; bytes left from the last {@code onRead} are delivered first, in a task. */
    public void resumeRead() {
        assertInLoop();
        if (!readSuspended) return;
        readSuspended = false;
        if (state != State.OPEN) return;
        updateInterest();
        // While a delivery is under way its buffer is out of readBuffer, yet it may end with
        // leftovers: a handler that suspends and resumes within one onRead would otherwise leave
        // them parked with no readable event coming (the peer sent everything and now waits).
        if ((readBuffer != null || delivering) && !redeliverQueued) {
            redeliverQueued = true;
            loop.execute(io);
        }
    }

    public boolean isReadSuspended() {
        assertInLoop();
        return readSuspended;
    }

    /**
     * Flushes what is queued, shuts the output (FIN), then closes once flushed (bounded by the
     * write-stall timeout). No more reads are delivered. Idempotent.
     */
    public void close() {
        assertInLoop();
        if (state != State.OPEN) return;
        state = State.FLUSHING;
        open = false;
        releaseReadBuffer();
        if (pendingBytes() == 0) shutdownOutput();
        else flush();
    }

    /** Closes now, discarding pending output; sends RST (SO_LINGER 0). Idempotent. */
    public void abort() {
        assertInLoop();
        reset(null);
    }

    /**
     * Whether a deadline of the connection's own is armed: the write-stall window while output is
     * pending, or the linger after the FIN. Loop thread.
     */
    public boolean hasDeadlineArmed() {
        assertInLoop();
        return timer != null && timer.isPending();
    }

    /** Any thread: false once closing began or the connection ended. */
    public boolean isOpen() { return open; }

    /** Why it closed, if not orderly: an I/O error, a {@link WriteStalled}, a handler's exception. */
    public Optional<Throwable> failure() {
        assertInLoop();
        return Optional.ofNullable(failure);
    }

    /**
     * Any thread: runs {@code task} on this connection's loop, right away if already on it.
     * @throws java.util.concurrent.RejectedExecutionException if the loop's inbox is full or it shut down
     */
    public void execute(Runnable task) {
        if (loop.inLoop()) task.run();
        else loop.execute(task);
    }

    @Override
    public String toString() { return "Connection[" + id + " " + socket.remoteAddress() + " " + state + "]"; }

    // ---- reading

    private void onReady(int readyOps) {
        switch (state) {
            case OPEN, FLUSHING -> {
                if ((readyOps & SelectionKey.OP_WRITE) != 0) flush();
                if ((readyOps & SelectionKey.OP_READ) != 0 && state == State.OPEN) onReadable();
            }
            case LINGERING -> discardInput();
            case CLOSED -> { }
        }
    }

    private void onReadable() {
        if (readSuspended || inputClosed) {
            updateInterest();
            return;
        }
        var pool = loop.buffers();
        ByteBuffer buffer = readBuffer;
        readBuffer = null;
        redeliverQueued = false;          // leftovers go out now, with the new bytes behind them
        if (buffer == null) buffer = pool.acquire();
        else buffer.compact();
        boolean eof = false;
        try {
            eof = readAndDeliver(buffer);
        } catch (IOException e) {
            pool.release(buffer);
            buffer = null;
            closeOnIoFailure(e);
        } finally {
            if (buffer != null) keepOrRelease(buffer);
        }
        if (eof && state == State.OPEN) onEndOfInput();
    }

    /** {@code buffer} in write mode, leftovers first. Returns true on EOF. */
    private boolean readAndDeliver(ByteBuffer buffer) throws IOException {
        long total = 0;
        try {
            for (int reads = 0; reads < MAX_READS_PER_WAKEUP && total < MAX_BYTES_PER_WAKEUP; reads++) {
                if (!buffer.hasRemaining()) {
                    throw new IllegalStateException("handler left a full read buffer without suspending reads");
                }
                int room = buffer.remaining();
                int n = socket.read(buffer);
                if (n < 0) return true;
                if (n == 0) return false;
                total += n;
                buffer.flip();
                deliver(buffer);
                buffer.compact();                 // what the handler left moves to the front
                if (state != State.OPEN || readSuspended) return false;
                // A read that did not fill the room has emptied the socket, almost always: another
                // read would only return EAGAIN, a system call per request for nothing. If bytes
                // did arrive meanwhile, the selector (level-triggered) reports the socket again.
                if (n < room) return false;
            }
            return false;
        } finally {
            if (total > 0) loop.counters().addBytesRead(total);
        }
    }

    /** {@code buffer} in write mode: keep it if it holds leftovers and we are still reading. */
    private void keepOrRelease(ByteBuffer buffer) {
        if (state == State.OPEN && buffer.position() > 0) readBuffer = buffer.flip();
        else loop.buffers().release(buffer);
    }

    private void redeliver() {
        if (!redeliverQueued) return;     // a readable event delivered the leftovers first
        redeliverQueued = false;
        if (state != State.OPEN || readSuspended || readBuffer == null) return;
        ByteBuffer buffer = readBuffer;
        readBuffer = null;
        try {
            deliver(buffer);
        } finally {
            keepOrRelease(buffer.compact());
        }
    }

    private void deliver(ByteBuffer buffer) {
        delivering = true;
        try {
            handler.onRead(this, buffer);
        } finally {
            delivering = false;
        }
    }

    private void onEndOfInput() {
        inputClosed = true;
        releaseReadBuffer();               // a partial message that can never be completed
        updateInterest();
        handler.onInputClosed(this);
    }

    private void releaseReadBuffer() {
        if (readBuffer == null) return;
        loop.buffers().release(readBuffer);
        readBuffer = null;
    }

    // ---- writing

    private WriteQueue queue() {
        if (writes == null) writes = new WriteQueue();
        return writes;
    }

    private void checkHighWater() {
        if (!unwritable && footprint() >= highWaterMark) unwritable = true;
    }

    private long footprint() {
        return writes == null ? 0 : writes.footprint(loop.buffers().bufferSize(), highWaterMark);
    }

    private void afterWrite(long written) {
        if (writes.isEmpty()) {
            // Dropped once drained: a connection between replies then holds no queue at all. The
            // next reply makes a new one, some 130 bytes, which is less than what keeping one per
            // idle connection costs a server of mostly idle connections.
            writes = null;
            if (timer != null) timer.cancel();
            if (state == State.FLUSHING) {
                shutdownOutput();
                return;
            }
        } else {
            watchProgress(written);
        }
        updateInterest();
        if (unwritable && state == State.OPEN && footprint() <= lowWaterMark) {
            unwritable = false;
            handler.onWritable(this);
        }
    }

    /** Output is waiting: count what the peer took, and start judging it if we were not already. */
    private void watchProgress(long written) {
        long now = loop.nanoTime();
        if (timer().isPending() && taken != null) {
            taken.progressed(written, now);
            return;
        }
        if (taken == null) taken = new DataRate(options.writeStallTimeout(), options.minWriteRate());
        taken.start(now);
        timer().schedule(options.writeStallTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The write timer fired with output pending: stalled, too slow, or on to the next window. */
    private void judgeProgress() {
        long now = loop.nanoTime();
        switch (taken.judge(now)) {
            case SILENT -> stalled("no write progress for " + options.writeStallTimeout() + " with " + pendingBytes()
                    + " bytes pending", false);
            case TOO_SLOW -> stalled("the peer took " + taken.bytesInWindow() + " bytes in " + options.writeStallTimeout()
                    + ", below the minimum of " + options.minWriteRate() + " bytes/s", true);
            case ON_TIME -> timer().schedule(Math.max(taken.nextCheck() - now, 0), TimeUnit.NANOSECONDS);
        }
    }

    private void stalled(String why, boolean belowMinimumRate) {
        var stalled = new WriteStalled(why, belowMinimumRate);
        LOG.debug(() -> this + " aborted: " + why);
        reset(stalled);
    }

    private void updateInterest() {
        int ops = switch (state) {
            case OPEN -> (readSuspended || inputClosed ? 0 : SelectionKey.OP_READ)
                    | (pendingBytes() > 0 ? SelectionKey.OP_WRITE : 0);
            case FLUSHING -> SelectionKey.OP_WRITE;
            case LINGERING -> SelectionKey.OP_READ;
            case CLOSED -> 0;
        };
        if (state != State.CLOSED && registration.interestOps() != ops) registration.interestOps(ops);
    }

    // ---- closing

    private void shutdownOutput() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            closeOnIoFailure(e);
            return;
        }
        state = State.LINGERING;
        if (inputClosed) {
            finish(null);
            return;
        }
        updateInterest();
        var linger = options.writeStallTimeout().compareTo(MAX_LINGER) < 0 ? options.writeStallTimeout() : MAX_LINGER;
        timer().schedule(linger.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** LINGERING: read and drop until the peer's FIN; a reset now loses nothing of ours. */
    private void discardInput() {
        var pool = loop.buffers();
        var scratch = pool.acquire();
        boolean done = false;
        try {
            for (int reads = 0; reads < MAX_READS_PER_WAKEUP && !done; reads++) {
                int n = socket.read(scratch.clear());
                if (n == 0) break;
                done = n < 0;
            }
        } catch (IOException e) {
            done = true;
        } finally {
            pool.release(scratch);
        }
        if (done) finish(null);
    }

    private void onTimer() {
        switch (state) {
            case OPEN, FLUSHING -> {
                if (pendingBytes() > 0) judgeProgress();
            }
            case LINGERING -> finish(null);
            case CLOSED -> { }
        }
    }

    private Timer timer() {
        if (timer == null) timer = loop.newTimer(this::onTimer);
        return timer;
    }

    private void closeOnIoFailure(IOException e) {
        // Reset, broken pipe, timeouts: what the peer or the network did, never an ERROR (ARCHITECTURE.md rule 6).
        LOG.debug(() -> this + " closed: " + e);
        finish(e);
    }

    /**
     * Whatever its handler threw ends this connection and only this one (the loop goes on). An
     * Error such as OutOfMemoryError too: the work that hit it is dropped with the connection, and
     * the loop counts it; no stack trace then, since building one may need what ran out.
     */
    private void handlerFailed(Throwable e) {
        loop.counters().errorContained(e);
        if (e instanceof VirtualMachineError) LOG.error(this + " aborted: " + e);
        else LOG.warn(this + " aborted: its handler threw", e);
        reset(e);
    }

    private void reset(Throwable cause) {
        if (state == State.CLOSED) return;
        try {
            socket.resetOnClose();
        } catch (IOException | RuntimeException e) {
            LOG.debug("SO_LINGER 0 failed; closing without RST", e);
        }
        finish(cause);
    }

    private void finish(Throwable cause) {
        if (state == State.CLOSED) return;
        state = State.CLOSED;
        open = false;
        if (cause != null && failure == null) failure = cause;
        socket.close();                   // ends its registration too
        registration.cancel();
        releaseReadBuffer();
        if (writes != null) writes.clear(loop.buffers());
        if (timer != null) timer.cancel();
        loop.counters().connectionClosed();
        try {
            handler.onClose(this);
        } catch (RuntimeException | Error e) {
            loop.counters().errorContained(e);
            LOG.warn(this + ": onClose threw", e);
        }
    }

    private void assertInLoop() { assert loop.inLoop() : this + " touched from " + Thread.currentThread(); }

    /** The loop-facing side: readiness, redelivery after resumeRead, and shutdown. */
    private final class Io implements Readiness, Runnable, AutoCloseable {
        @Override
        public void onReady(int readyOps) {
            try {
                Connection.this.onReady(readyOps);
            } catch (RuntimeException | Error e) {
                handlerFailed(e);
            }
        }

        @Override
        public void run() {
            try {
                redeliver();
            } catch (RuntimeException | Error e) {
                handlerFailed(e);
            }
        }

        /** The loop is shutting down: send what the socket takes now, then close. */
        @Override
        public void close() {
            try {
                flush();
            } catch (RuntimeException e) {
                LOG.debug("flush at shutdown failed", e);
            }
            finish(null);
        }
    }

    /** Copies arrays into pooled buffers; buffers go by reference. */
    private final class Sink implements ByteSink {
        @Override
        public void write(byte[] bytes, int offset, int length) {
            Objects.checkFromIndexSize(offset, length, bytes.length);
            assertInLoop();
            if (state != State.OPEN || length == 0) return;
            queue().copy(bytes, offset, length, loop.buffers());
            checkHighWater();
        }

        @Override
        public void write(ByteBuffer bytes) { Connection.this.write(bytes); }
    }
}
