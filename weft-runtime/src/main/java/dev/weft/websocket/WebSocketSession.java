package dev.weft.websocket;

import dev.weft.internal.Log;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Timer;
import dev.weft.net.Connection;
import dev.weft.net.ConnectionHandler;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.websocket.CloseCodes;
import dev.weft.protocol.websocket.MessageType;
import dev.weft.protocol.websocket.PerMessageDeflate;
import dev.weft.protocol.websocket.WebSocketDecoder;
import dev.weft.protocol.websocket.WebSocketEncoder;
import dev.weft.protocol.websocket.WebSocketEvent;
import dev.weft.protocol.websocket.WebSocketPeerViolation;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An open WebSocket on a {@link Connection}, either side: the sans-IO decoder and encoder of
 * {@code dev.weft.protocol.websocket} driven on the connection's loop.
 *
 * <h2>Theory of operation</h2>
 * <ol>
 *   <li>Reading: each read is fed to the decoder and every event handled at once; a message is
 *       joined from its pieces into an array that grows with the bytes (the decoder enforces the
 *       frame and message limits, so it cannot outgrow them) and handed over whole. A Ping is
 *       answered with a Pong at once.</li>
 *   <li>Writing: sends from other threads become tasks, in call order (a send made on the loop
 *       runs at once only when none is queued). Bytes in tasks are counted, and so is the
 *       connection's output, for the backpressure {@link WebSocket} describes.</li>
 *   <li>Liveness: a Ping goes out after {@code pingInterval} without a byte from the peer; no
 *       byte within {@code pongTimeout} after it drops the connection (1006). One timer, re-armed
 *       from the time of the last byte, never per read.</li>
 *   <li>Closing: a Close received is answered with a Close, then the connection closes (a server
 *       closes TCP first, RFC 6455 §7.1.1); a Close sent waits {@code closeTimeout} for the
 *       answer, then cuts the connection. A protocol error is answered with a Close carrying its
 *       code (1002, 1007, 1009). The handler hears {@code onClose} exactly once.</li>
 * </ol>
 */
public final class WebSocketSession implements ConnectionHandler, WebSocket {
    private static final Log LOG = Log.of(WebSocketSession.class);
    private static final int OVERRUN_FACTOR = 4;

    private final WebSocketDecoder decoder;
    private final WebSocketEncoder encoder;
    private final Optional<PerMessageDeflate> deflate;
    private final Optional<String> subprotocol;
    private final WebSocketSettings settings;
    private final WebSocketHandler handler;
    private final Consumer<Runnable> context;          // runs handler callbacks (in the request's context)
    private final AtomicLong inTransit = new AtomicLong();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile Connection connection;
    private volatile boolean open = true;
    private volatile boolean writable = true;
    private volatile long pendingOnConnection;
    // loop-only
    private MessageType messageType;
    private byte[] message = new byte[0];
    private int messageSize;
    private boolean closeSent, closeReported;
    private boolean reading;                   // inside onRead: sends made now are flushed once at its end
    private Timer liveness;                    // ping, then pong deadline, then close deadline
    private boolean pingOut;
    private long lastByteNanos;
    private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();

    private WebSocketSession(WebSocketDecoder decoder, WebSocketEncoder encoder, Optional<PerMessageDeflate> deflate,
                             Optional<String> subprotocol, WebSocketSettings settings, WebSocketHandler handler,
                             Consumer<Runnable> context) {
        this.decoder = decoder;
        this.encoder = encoder;
        this.deflate = deflate;
        this.subprotocol = subprotocol;
        this.settings = settings;
        this.handler = handler;
        this.context = context;
    }

    /**
     * A session over the codec a handshake chose; {@code context} runs each handler callback (a
     * server passes the request's context, a client {@code Runnable::run}). The session owns
     * {@code deflate} and closes it.
     */
    public static WebSocketSession of(WebSocketDecoder decoder, WebSocketEncoder encoder, Optional<PerMessageDeflate> deflate,
                                      Optional<String> subprotocol, WebSocketSettings settings, WebSocketHandler handler,
                                      Consumer<Runnable> context) {
        return new WebSocketSession(decoder, encoder, deflate, subprotocol, settings, handler, context);
    }

    // ---- ConnectionHandler ----

    @Override public java.util.Optional<dev.weft.loop.spi.TcpInfo> tcpInfo() {
        Connection c = connection;
        return c == null ? java.util.Optional.empty() : c.tcpInfo();
    }

    @Override public void onOpen(Connection c) {
        connection = c;
        lastByteNanos = c.loop().nanoTime();
        liveness = c.loop().newTimer(this::onLiveness);
        liveness.schedule(settings.pingInterval().toNanos(), TimeUnit.NANOSECONDS);
        callback(() -> handler.onOpen(this));
    }

    @Override public void onRead(Connection c, ByteBuffer in) {
        lastByteNanos = c.loop().nanoTime();
        pingOut = false;
        reading = true;
        try {
            decoder.feed(in);
            drive(c);
        } catch (WebSocketPeerViolation v) {
            LOG.debug(() -> c + ": " + v.getMessage());
            fail(c, v.closeCode(), v.violation().toString());
        } finally {
            reading = false;
            if (!c.isOpen()) in.position(in.limit());
        }
        c.flush();                                                // one write for every answer this read produced
    }

    private void drive(Connection c) {
        for (;;) {
            switch (decoder.next()) {
                case WebSocketEvent.MessageStart(MessageType type) -> {
                    messageType = type;
                    messageSize = 0;
                }
                case WebSocketEvent.Data(ByteBuffer bytes) -> append(bytes);
                case WebSocketEvent.MessageEnd _ -> deliver();
                case WebSocketEvent.Ping(ByteBuffer payload) -> {
                    if (!closeSent) encoder.pong(copy(payload), c.sink());
                }
                case WebSocketEvent.Pong(ByteBuffer payload) -> {
                    ByteBuffer p = copy(payload);
                    callback(() -> handler.onPong(this, p));
                }
                case WebSocketEvent.Close(int code, String reason) -> {
                    open = false;
                    if (!closeSent) {
                        closeSent = true;
                        encoder.close(code, "", c.sink());       // echoed, RFC 6455 §5.5.1
                    }
                    report(code, reason);
                    c.close();
                    return;
                }
                case WebSocketEvent.Signal s -> {
                    if (s != WebSocketEvent.Signal.NEED_MORE) {
                        report(CloseCodes.ABNORMAL_CLOSURE, "");
                        c.close();
                    }
                    return;
                }
            }
        }
    }

    private void append(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (message.length - messageSize < n) message = Arrays.copyOf(message, Math.max(messageSize + n, Math.max(256, 2 * message.length)));
        bytes.get(message, messageSize, n);
        messageSize += n;
    }

    private void deliver() {
        if (messageType == MessageType.TEXT) {
            String text = new String(message, 0, messageSize, StandardCharsets.UTF_8);
            callback(() -> handler.onText(this, text));
        } else {
            ByteBuffer bytes = ByteBuffer.wrap(Arrays.copyOf(message, messageSize));
            callback(() -> handler.onBinary(this, bytes));
        }
        if (message.length > 64 << 10) message = new byte[0];     // a large message's array is not kept while idle
        messageSize = 0;
    }

    @Override public void onInputClosed(Connection c) {
        decoder.feedEnd();
        try {
            drive(c);
        } catch (WebSocketPeerViolation v) {
            fail(c, v.closeCode(), v.violation().toString());
        }
        report(CloseCodes.ABNORMAL_CLOSURE, "");
        c.close();
    }

    @Override public void onWritable(Connection c) {
        writable = true;
        pendingOnConnection = c.pendingBytes();
        for (CompletableFuture<Void> f; (f = waiting.poll()) != null; ) f.complete(null);
    }

    @Override public void onClose(Connection c) {
        open = false;
        writable = false;
        if (liveness != null) liveness.cancel();
        deflate.ifPresent(PerMessageDeflate::close);
        report(CloseCodes.ABNORMAL_CLOSURE, "");
        var gone = new IOException("the WebSocket is closed");
        for (CompletableFuture<Void> f; (f = waiting.poll()) != null; ) f.completeExceptionally(gone);
    }

    // ---- liveness and closing ----

    private void onLiveness() {
        Connection c = connection;
        if (!c.isOpen()) return;
        long now = c.loop().nanoTime();
        if (closeSent) {
            c.abort();                                            // the peer never answered our Close
            return;
        }
        if (c.isReadSuspended()) {                               // our consumer is behind, not the peer
            lastByteNanos = now;
            pingOut = false;
        }
        long quiet = now - lastByteNanos;
        if (pingOut && quiet >= settings.pongTimeout().toNanos() + settings.pingInterval().toNanos()) {
            LOG.debug(() -> c + ": no pong within " + settings.pongTimeout());
            report(CloseCodes.ABNORMAL_CLOSURE, "no pong");
            c.abort();
            return;
        }
        if (!pingOut && quiet >= settings.pingInterval().toNanos()) {
            pingOut = true;
            encoder.ping(ByteBuffer.allocate(0), c.sink());
            c.flush();
            liveness.schedule(settings.pongTimeout().toNanos(), TimeUnit.NANOSECONDS);
            return;
        }
        long next = (pingOut ? settings.pongTimeout().toNanos() + settings.pingInterval().toNanos() : settings.pingInterval().toNanos()) - quiet;
        liveness.schedule(Math.max(next, 0), TimeUnit.NANOSECONDS);
    }

    /** A protocol error: our Close with its code, then the connection ends. */
    private void fail(Connection c, int code, String reason) {
        open = false;
        if (!closeSent && c.isOpen()) {
            closeSent = true;
            encoder.close(code, "", c.sink());
        }
        report(code, reason);
        c.close();
    }

    private void report(int code, String reason) {
        if (closeReported) return;
        closeReported = true;
        callback(() -> handler.onClose(this, code, reason));
    }

    private void callback(Runnable r) {
        try {
            context.accept(r);
        } catch (RuntimeException | Error e) {
            LOG.warn("a WebSocket handler threw; closing with 1011", e);
            Connection c = connection;
            if (c != null && c.isOpen() && !closeSent) {
                closeSent = true;
                encoder.close(1011, "", c.sink());
                c.close();
            }
        }
    }

    // ---- WebSocket: any thread ----

    @Override public CompletionStage<Void> sendText(CharSequence text) {
        String copy = text.toString();
        if (copy.length() * 3L <= settings.limits().maxFrameBytes() / 2) return send(copy.length(), (c, done) -> encoder.text(copy, c.sink()));
        ByteBuffer utf8 = StandardCharsets.UTF_8.encode(copy);
        return send(utf8.remaining(), (c, done) -> fragmented(MessageType.TEXT, utf8, c));
    }

    @Override public CompletionStage<Void> sendBinary(ByteBuffer bytes) {
        if (bytes.remaining() <= settings.limits().maxFrameBytes() / 2) return send(bytes.remaining(), (c, done) -> encoder.binary(bytes, c.sink()));
        return send(bytes.remaining(), (c, done) -> fragmented(MessageType.BINARY, bytes, c));
    }

    /**
     * A message longer than a frame may be goes in frames of the frame limit (RFC 6455 §5.4), so
     * a peer with the same limits as ours takes it, and pings can pass between its pieces.
     */
    private void fragmented(MessageType type, ByteBuffer payload, Connection c) {
        // Compressed, a piece of incompressible bytes grows a little (DEFLATE's stored blocks, 5
        // bytes per 64 KiB, RFC 1951 §3.2.4): the headroom keeps its frame under the limit.
        int limit = settings.limits().maxFrameBytes();
        int frame = deflate.isPresent() ? limit - limit / 64 : limit;
        ByteBuffer rest = payload.duplicate();
        while (rest.remaining() > frame) {
            encoder.fragment(type, rest.slice(rest.position(), frame), false, c.sink());
            rest.position(rest.position() + frame);
        }
        encoder.fragment(type, rest, true, c.sink());
    }

    @Override public void writeWatermarks(int high, int low) {
        if (high < 1 || low < 0 || low > high) throw new IllegalArgumentException("water marks: high " + high + ", low " + low);
        onLoop(() -> {
            Connection c = connection;
            if (c != null && c.isOpen()) c.setWatermarks(high, low);
        });
    }

    @Override public boolean acceptsEncoded() {
        return encoder instanceof dev.weft.protocol.websocket.FrameEncoder f && f.sharesEncodings();
    }

    @Override public CompletionStage<Void> sendEncoded(ByteBuffer frames) {
        if (!acceptsEncoded()) throw new UnsupportedOperationException("this WebSocket cannot take pre-encoded frames");
        ByteBuffer view = frames.duplicate();
        return send(view.remaining(), (c, done) -> c.sink().write(view));
    }

    @Override public void suspendReading() {
        onLoop(() -> {
            Connection c = connection;
            if (c != null && c.isOpen()) c.suspendRead();
        });
    }

    @Override public void resumeReading() {
        onLoop(() -> {
            Connection c = connection;
            if (c != null && c.isOpen()) c.resumeRead();
        });
    }

    @Override public CompletionStage<Void> ping(ByteBuffer payload) {
        return send(payload.remaining(), (c, done) -> encoder.ping(payload, c.sink()));
    }

    @Override public void close(int code, String reason) {
        onLoop(() -> {
            Connection c = connection;
            if (closeSent || c == null || !c.isOpen()) return;
            closeSent = true;
            open = false;
            encoder.close(code, reason, c.sink());
            c.flush();
            liveness.schedule(settings.closeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        });
    }

    @Override public boolean isOpen() { return open; }

    @Override public boolean isWritable() { return open && writable && inTransit.get() < highWaterMark(); }

    @Override public Optional<String> subprotocol() { return subprotocol; }

    @Override public InetSocketAddress remoteAddress() { return connection.remoteAddress(); }

    /** How a send is written, on the loop. */
    private interface Write { void to(Connection c, CompletableFuture<Void> done); }

    private CompletionStage<Void> send(int bytes, Write write) {
        if (!open) return CompletableFuture.failedFuture(new IOException("the WebSocket is closed"));
        long backlog = inTransit.get() + pendingOnConnection;
        if (backlog >= (long) OVERRUN_FACTOR * highWaterMark()) {
            var bug = new UsageViolation("a WebSocket send with " + backlog + " bytes already queued: the sender ignored backpressure");
            LOG.warn("closing a WebSocket whose sender ignored backpressure", bug);
            close(1011, "");
            return CompletableFuture.failedFuture(bug);
        }
        var done = new CompletableFuture<Void>();
        inTransit.addAndGet(bytes);
        onLoop(() -> {
            inTransit.addAndGet(-bytes);
            Connection c = connection;
            if (closeSent || c == null || !c.isOpen()) {
                done.completeExceptionally(new IOException("the WebSocket is closed"));
                return;
            }
            write.to(c, done);
            if (!reading) c.flush();                              // inside a read, onRead flushes once at its end
            writable = c.isWritable();
            pendingOnConnection = c.pendingBytes();
            if (writable) done.complete(null);
            else waiting.add(done);
        });
        return done;
    }

    private int highWaterMark() {
        Connection c = connection;
        return c == null ? 64 << 10 : c.highWaterMark();
    }

    /** Runs on the loop in call order: at once only when on the loop with nothing of ours queued. */
    private void onLoop(Runnable task) {
        Connection c = connection;
        EventLoop loop = c == null ? null : c.loop();
        if (loop != null && loop.inLoop() && queued.get() == 0) {
            task.run();
            return;
        }
        if (loop == null) throw new IllegalStateException("the WebSocket is not open yet");
        queued.incrementAndGet();
        loop.execute(() -> {
            queued.decrementAndGet();
            task.run();
        });
    }

    private static ByteBuffer copy(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return ByteBuffer.wrap(a);
    }
}
