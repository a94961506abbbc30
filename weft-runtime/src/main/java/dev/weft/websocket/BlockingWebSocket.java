package dev.weft.websocket;

import dev.weft.internal.Log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The blocking style: straight-line code on a virtual thread of its own reads the next message
 * and sends, parking instead of holding a platform thread.
 * <pre>{@code
 * WebSocketHandler echo = BlockingWebSocket.handler(ws -> {
 *     for (Optional<Message> m; (m = ws.receive()).isPresent(); ) {
 *         if (m.get() instanceof Message.Text(String text)) ws.sendText(text);
 *     }
 * });
 * }</pre>
 * Inbound messages wait in a queue of a few messages; when it is full the socket stops reading,
 * so a peer that sends faster than the body consumes is held back by TCP, not by our memory (at
 * most one read's worth arrives after the stop). A send parks until the connection is below its
 * high-water mark. When the body returns the WebSocket is closed with 1000; when it throws, with
 * 1011.
 */
public final class BlockingWebSocket {
    private static final Log LOG = Log.of(BlockingWebSocket.class);
    /** Messages queued before reading stops. */
    public static final int DEFAULT_QUEUE = 16;

    /** A whole message. */
    public sealed interface Message {
        record Text(String text) implements Message {}

        /** The message's own bytes. */
        record Binary(ByteBuffer bytes) implements Message {}
    }

    /** What runs on the virtual thread once the WebSocket is open. */
    @FunctionalInterface
    public interface Body {
        void run(BlockingWebSocket ws) throws Exception;
    }

    private final WebSocket ws;
    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();     // a parked virtual thread frees its carrier
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<Message> queue = new ArrayDeque<>();
    private boolean suspended, ended;
    private int closeCode = -1;
    private String closeReason = "";

    private BlockingWebSocket(WebSocket ws, int capacity) {
        this.ws = ws;
        this.capacity = capacity;
    }

    /** A handler that runs {@code body} on a virtual thread when the WebSocket opens. */
    public static WebSocketHandler handler(Body body) { return handler(DEFAULT_QUEUE, Runnable::run, body); }

    /**
     * As {@link #handler(Body)}, with {@code queue} messages before reading stops, and the body
     * run through {@code context} (a server passes the opening request's, so the body sees it).
     */
    public static WebSocketHandler handler(int queue, Consumer<Runnable> context, Body body) {
        if (queue < 1) throw new IllegalArgumentException("queue must be positive: " + queue);
        Objects.requireNonNull(context);
        Objects.requireNonNull(body);
        return new Adapter(queue, context, body);
    }

    /** The next message, parking until one comes; empty once the WebSocket is closed and every message taken. */
    public Optional<Message> receive() throws InterruptedException {
        lock.lock();
        try {
            while (queue.isEmpty() && !ended) arrived.await();
            return take();
        } finally {
            lock.unlock();
        }
    }

    /**
     * As {@link #receive()}, waiting at most {@code timeout}.
     *
     * @throws TimeoutException when nothing came in time and the WebSocket is still open
     */
    public Optional<Message> receive(Duration timeout) throws InterruptedException, TimeoutException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (queue.isEmpty() && !ended) {
                if (left <= 0) throw new TimeoutException("no message within " + timeout);
                left = arrived.awaitNanos(left);
            }
            return take();
        } finally {
            lock.unlock();
        }
    }

    private Optional<Message> take() {
        Message m = queue.poll();
        if (suspended && queue.size() <= capacity / 2) {
            suspended = false;
            ws.resumeReading();
        }
        return Optional.ofNullable(m);
    }

    /** Sends a text message, parking while the connection is above its high-water mark. */
    public void sendText(CharSequence text) throws IOException, InterruptedException { await(ws.sendText(text)); }

    /** Sends a binary message (the socket takes the buffer), parking as {@link #sendText} does. */
    public void sendBinary(ByteBuffer bytes) throws IOException, InterruptedException { await(ws.sendBinary(bytes)); }

    private static void await(CompletionStage<Void> sent) throws IOException, InterruptedException {
        try {
            sent.toCompletableFuture().get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IOException("the send failed", e.getCause());
        }
    }

    /** Starts the closing handshake; {@link #receive} then ends once the peer answers. */
    public void close(int code, String reason) { ws.close(code, reason); }

    /** The close code once the WebSocket is over (see {@link WebSocketHandler#onClose}). */
    public OptionalInt closeCode() {
        lock.lock();
        try {
            return ended ? OptionalInt.of(closeCode) : OptionalInt.empty();
        } finally {
            lock.unlock();
        }
    }

    /** The close reason once the WebSocket is over; empty before. */
    public String closeReason() {
        lock.lock();
        try {
            return closeReason;
        } finally {
            lock.unlock();
        }
    }

    /** Messages received and not yet taken. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** The socket underneath, for what this class does not wrap (subprotocol, address, ping). */
    public WebSocket socket() { return ws; }

    // ---- the loop's side ----

    private void offer(Message m) {
        lock.lock();
        try {
            queue.add(m);
            if (!suspended && queue.size() >= capacity) {
                suspended = true;
                ws.suspendReading();
            }
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    private void end(int code, String reason) {
        lock.lock();
        try {
            ended = true;
            closeCode = code;
            closeReason = reason;
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void run(Consumer<Runnable> context, Body body) {
        context.accept(() -> {
            try {
                body.run(this);
                ws.close(1000, "");
            } catch (InterruptedException e) {
                ws.close(1001, "");
            } catch (Exception | Error e) {
                LOG.warn("a blocking WebSocket body threw; closing with 1011", e);
                ws.close(1011, "");
            }
        });
    }

    /** The callbacks, on the loop, feeding the queue the body reads. */
    private static final class Adapter implements WebSocketHandler {
        private final int capacity;
        private final Consumer<Runnable> context;
        private final Body body;
        private BlockingWebSocket blocking;

        Adapter(int capacity, Consumer<Runnable> context, Body body) {
            this.capacity = capacity;
            this.context = context;
            this.body = body;
        }

        @Override public void onOpen(WebSocket ws) {
            blocking = new BlockingWebSocket(ws, capacity);
            BlockingWebSocket b = blocking;
            Thread.ofVirtual().name("weft-websocket").start(() -> b.run(context, body));
        }

        @Override public void onText(WebSocket ws, String text) { blocking.offer(new Message.Text(text)); }

        @Override public void onBinary(WebSocket ws, ByteBuffer bytes) { blocking.offer(new Message.Binary(bytes)); }

        @Override public void onClose(WebSocket ws, int code, String reason) {
            if (blocking != null) blocking.end(code, reason);
        }
    }
}
