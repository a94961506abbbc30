package dev.weft.server;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.UsageViolation;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's {@link Exchange}. Called from any thread; its state belongs to the connection's
 * loop (ARCHITECTURE.md rule 1) and other threads reach it only through {@link ExchangeHost#execute}.
 *
 * <h2>Theory of operation</h2>
 * Two things happen to an exchange, each in one place:
 * <ol>
 *   <li>Who answers is settled once, by a compare-and-set on {@code claim} that any thread may
 *       race for: the application ({@link #reply}, {@link #stream}) or the server itself (a
 *       deadline, a violation, a client that left). The loser of an application-versus-server race
 *       is a no-op. Separately, the application may answer only once ({@code answered}): a second
 *       answer is a bug (UsageViolation), even when the first one no longer counted.</li>
 *   <li>Everything else moves on the loop: the {@link Reply} state (the connection writes replies
 *       in request order, see {@link ExchangeHost#replyReady}), the {@link BodyState} of the
 *       request body, the cancel actions.</li>
 * </ol>
 * Every user callback runs through {@link #runGuarded}, inside the captured {@link RequestContext}
 * and with failures turned into a 500 (see {@link Exchange} for when the context is captured).
 */
final class HttpExchange implements Exchange {
    /** The response side, loop-only. */
    sealed interface Reply {
        enum Flat implements Reply { AWAITING, SENT, CANCELLED }
        record Ready(Response response) implements Reply {}
        record Streaming(ExchangeStream stream) implements Reply {}
        /** Switch the connection to {@code next} after writing the interim head, if {@code status} is not null. */
        record Switching(Status status, Headers headers, UpgradedConnection next) implements Reply {}
    }

    /** The request body, loop-only. */
    enum BodyState { NONE, UNREAD, WANTED, PAUSED, DRAINING, ENDED, FAILED }

    /** A callback that may throw: handler bodies, reader callbacks. */
    @FunctionalInterface interface Callback { void run() throws Exception; }

    private static final int FREE = 0, APP = 1, SERVER = 2;
    private static final int BODY_CLAIMED = 1, ANSWERED = 2;
    // Plain fields behind VarHandles rather than Atomic* objects: a parked long-poll keeps its
    // exchange for minutes, and ten thousand of them should not carry three more objects each.
    private static final VarHandle CLAIM, FLAGS, BODY_HELD;
    static {
        try {
            var lookup = MethodHandles.lookup();
            CLAIM = lookup.findVarHandle(HttpExchange.class, "claim", int.class);
            FLAGS = lookup.findVarHandle(HttpExchange.class, "flags", int.class);
            BODY_HELD = lookup.findVarHandle(HttpExchange.class, "bodyHeld", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ExchangeHost host;
    private final Request request;
    private final long startNanos;
    @SuppressWarnings("unused") private volatile int claim;        // via CLAIM
    @SuppressWarnings("unused") private volatile int flags;        // BODY_CLAIMED | ANSWERED, via FLAGS
    private volatile boolean open = true;
    private volatile RequestContext context;
    private volatile Thread handlerThread;  // the thread running a handler or callback of ours now
    private volatile Thread worker;         // a blocking handler's virtual thread, to interrupt on cancel
    /** Bytes of this request's body held against the server's memory budget; -1 once the exchange ended. */
    @SuppressWarnings("unused") private volatile long bodyHeld;    // via BODY_HELD
    /** Why the body will not complete (the client's doing), once it failed; read by any thread. */
    private volatile Throwable bodyFailure;

    // loop-only
    private Reply reply = Reply.Flat.AWAITING;
    private BodyState body;
    private BodyReader reader;
    private Runnable cancelAction;                               // the first onCancel action; null: none
    private List<Runnable> moreCancelActions;                    // any after it (rare); null: none
    private Runnable drainAction;                                // null: none registered
    HttpExchange nextInFlight;                                  // its connection's InFlight list
    private boolean hasOwnDeadline;                              // replyTimeout was called: ownDeadline rules
    private long ownDeadline;                                    // in loop nanos
    private Runnable onOwnDeadline;                              // what runs when it passes; null: none
    // the connection's, loop-only
    boolean keepAlive;                      // the request allows another after it (RFC 9112 §9.3)
    boolean continueDue;                    // 100 Continue owed once the body is wanted and this is first in line
    boolean mustClose;                      // its unread body cannot be skipped: close after the response

    HttpExchange(ExchangeHost host, Request request, long startNanos) {
        this.host = host;
        this.request = request;
        this.startNanos = startNanos;
        this.body = request.hasBody() ? BodyState.UNREAD : BodyState.NONE;
        this.context = RequestContext.of(request);
        request.attach(this);
    }

    @Override public Request request() {
        capture();
        return request;
    }

    /** The request, for the server's own use (no context capture). */
    Request req() { return request; }

    @Override public boolean isOpen() {
        capture();
        return open;
    }

    @Override public void reply(Response response) {
        capture();
        answerOnce();
        if (!claim(APP)) {
            response.release();                               // too late: an open file is closed now
            return;
        }
        host.execute(() -> {
            if (reply != Reply.Flat.AWAITING) {               // cancelled while the task was queued
                response.release();
                return;
            }
            reply = new Reply.Ready(response);
            host.replyReady(this);
        });
    }

    @Override public ResponseStream stream(Status status, Headers headers) {
        capture();
        var stream = new ExchangeStream(this, host, new Response(status, headers, ByteBuffer.allocate(0)));
        answerOnce();
        if (!claim(APP)) {
            stream.cancelled();
            return stream;
        }
        host.execute(() -> {
            if (reply != Reply.Flat.AWAITING) return;
            reply = new Reply.Streaming(stream);
            host.replyReady(this);
        });
        return stream;
    }

    @Override public void switchProtocols(Status status, Headers headers, UpgradedConnection next) {
        if (!status.isInformational()) throw new UsageViolation("switchProtocols needs a 1xx status, not " + status);
        switchTo(new Reply.Switching(status, headers, java.util.Objects.requireNonNull(next)));
    }

    @Override public void handOver(UpgradedConnection next) {
        switchTo(new Reply.Switching(null, Headers.empty(), java.util.Objects.requireNonNull(next)));
    }

    private void switchTo(Reply.Switching switching) {
        capture();
        answerOnce();
        if (!claim(APP)) return;
        host.execute(() -> {
            if (reply != Reply.Flat.AWAITING) return;
            reply = switching;
            host.replyReady(this);
        });
    }

    @Override public void readBody(BodyReader reader) {
        capture();
        if (((int) FLAGS.getAndBitwiseOr(this, BODY_CLAIMED) & BODY_CLAIMED) != 0) throw new UsageViolation("readBody called twice: " + request);
        host.execute(() -> startReading(reader));
    }

    @Override public void resumeBody() {
        capture();
        host.execute(() -> {
            if (body != BodyState.PAUSED) return;
            body = BodyState.WANTED;
            host.bodyWanted(this);
        });
    }

    @Override public dev.weft.loop.EventLoop loop() { return host.eventLoop(); }

    @Override public void writeWatermarks(int high, int low) {
        if (high < 1 || low < 0 || low > high) throw new IllegalArgumentException("water marks: high " + high + ", low " + low);
        host.execute(() -> {
            if (open) host.setWatermarks(high, low);
        });
    }

    @Override public void onDrain(Runnable action) {
        capture();
        java.util.Objects.requireNonNull(action, "action");
        host.execute(() -> {
            Runnable before = drainAction;
            drainAction = before == null ? action : () -> {
                before.run();
                action.run();
            };
        });
    }

    /** On the loop: whether a graceful stop should give this exchange its own moment (see {@link Exchange#onDrain}). */
    boolean wantsDrain() { return drainAction != null && open && reply != Reply.Flat.SENT; }

    /** On the loop, at the graceful stop: runs the drain actions once, in the request's context. */
    void drain() {
        Runnable action = drainAction;
        drainAction = null;
        if (action != null && open && reply != Reply.Flat.SENT) runGuarded(action::run);
    }

    @Override public void onCancel(Runnable action) {
        capture();
        host.execute(() -> {
            if (reply == Reply.Flat.CANCELLED) {
                runGuarded(action::run);
                return;
            }
            if (reply instanceof Reply.Flat f && f == Reply.Flat.SENT) return;
            if (cancelAction == null) {
                cancelAction = action;
                return;
            }
            if (moreCancelActions == null) moreCancelActions = new ArrayList<>(2);
            moreCancelActions.add(action);
        });
    }

    private void startReading(BodyReader r) {
        reader = r;
        switch (body) {
            case NONE -> {
                body = BodyState.ENDED;
                runGuarded(() -> r.onEnd(Headers.empty()));
            }
            case UNREAD -> {
                body = BodyState.WANTED;
                host.readingStarted(this, r.maxBytes());
            }
            case FAILED -> runGuarded(() -> r.onFailure(new IOException("the request body failed before it was read")));
            default -> runGuarded(() -> r.onFailure(new IOException("the request body was " + body + " before it was read")));
        }
    }

    // ---- called by the connection, on the loop ----

    BodyState bodyState() { return body; }

    void bodyState(BodyState state) { body = state; }

    Reply replyState() { return reply; }

    long startNanos() { return startNanos; }

    @Override public java.util.Optional<dev.weft.loop.spi.TcpInfo> tcpInfo() { return host.tcpInfo(); }

    @Override public void replyTimeout(Duration timeout, Runnable onTimeout) {
        capture();
        long nanos = timeout.toNanos();
        if (nanos <= 0) throw new IllegalArgumentException("a reply timeout must be positive: " + timeout);
        java.util.Objects.requireNonNull(onTimeout, "onTimeout");
        host.execute(() -> {
            if (reply != Reply.Flat.AWAITING) return;
            hasOwnDeadline = true;
            ownDeadline = host.eventLoop().nanoTime() + nanos;
            onOwnDeadline = onTimeout;
            host.replyDeadlineChanged(this);
        });
    }

    /** Loop: when the reply is due, by the application's own deadline or else {@code defaultDue}. */
    long replyDue(long defaultDue) { return hasOwnDeadline ? ownDeadline : defaultDue; }

    /**
     * Loop: the reply deadline passed. With an action of the application's, it runs and the
     * server's period starts again from {@code now}; true. Without one, false: the server answers.
     */
    boolean ownDeadlinePassed(long now, long period) {
        Runnable action = onOwnDeadline;
        if (action == null) return false;
        onOwnDeadline = null;
        ownDeadline = now + period;
        runGuarded(action::run);
        return true;
    }

    /** A body piece for the reader; false when the reader paused. */
    boolean deliver(ByteBuffer piece) {
        if (body == BodyState.DRAINING) return true;
        boolean[] more = {false};
        runGuarded(() -> more[0] = reader.onBytes(piece));
        if (!more[0] && body == BodyState.WANTED) body = BodyState.PAUSED;
        return more[0];
    }

    void deliverEnd(Headers trailers) {
        BodyState was = body;
        if (was == BodyState.NONE) return;                    // no body: a later readBody ends at once
        body = BodyState.ENDED;
        if (was != BodyState.DRAINING && reader != null) runGuarded(() -> reader.onEnd(trailers));
    }

    void deliverFailure(Throwable cause) {
        BodyState was = body;
        body = BodyState.FAILED;
        if (bodyFailure == null) bodyFailure = cause;
        if (reader != null && (was == BodyState.WANTED || was == BodyState.PAUSED)) runGuarded(() -> reader.onFailure(cause));
    }

    /** The server answers (a deadline, a violation, a 404): true if it won the claim. */
    boolean serverReply(Response response) {
        if (!claim(SERVER)) return false;
        reply = new Reply.Ready(response);
        host.replyReady(this);
        return true;
    }

    /** A response with a {@link BodyWriter} is about to be written: it is sent as this stream. */
    ExchangeStream streamInstead(Response response) {
        var stream = new ExchangeStream(this, host, new Response(response.status(), response.headers(), response.body()));
        reply = new Reply.Streaming(stream);
        return stream;
    }

    /** The reply has been handed to the connection in full. */
    void sent() {
        reply = Reply.Flat.SENT;
        cancelAction = null;
        moreCancelActions = null;
        releaseAllBody();
    }

    // ---- the memory budget, for readers that buffer the body (loop, except releaseBody) ----

    /**
     * Reserves {@code n} bytes of the server's memory budget for this request's buffered body.
     * False, with nothing reserved, when the budget is spent: the reader should then call
     * {@link #turnAway()} (or pause, if it will drain what it holds). Once the exchange ended,
     * bytes are no longer accounted and this always succeeds.
     */
    boolean reserveBody(long n) {
        if ((long) BODY_HELD.getVolatile(this) < 0) return true;
        if (!host.reserve(n)) return false;
        if (addToHeld(n) < 0) host.release(n);
        return true;
    }

    /** Any thread: gives back {@code n} bytes of {@link #reserveBody}. */
    void releaseBody(long n) {
        if (addToHeld(-n) >= 0) host.release(n);
    }

    /** Adds {@code n} to the bytes held unless the exchange ended (-1); returns what was held before. */
    private long addToHeld(long n) {
        for (;;) {
            long held = (long) BODY_HELD.getVolatile(this);
            if (held < 0 || BODY_HELD.compareAndSet(this, held, held + n)) return held;
        }
    }

    private void releaseAllBody() {
        long held = (long) BODY_HELD.getAndSet(this, -1L);
        if (held > 0) host.release(held);
    }

    /** The budget is spent: the server answers 503 (unless a reply was given) and reads no more here. */
    void turnAway() { host.turnAway(this); }

    /** The client left, or the response was aborted, before it was complete. */
    void cancel(Throwable cause) { cancel(cause, null); }

    /**
     * The reply deadline fired: the cancel actions run, then {@code replacement} is the answer
     * (or none when null: the connection is closing anyway).
     */
    void cancel(Throwable cause, Response replacement) {
        open = false;
        claim(SERVER);
        releaseAllBody();
        Reply was = reply;
        if (was == Reply.Flat.SENT || was == Reply.Flat.CANCELLED) return;
        if (was instanceof Reply.Ready(Response unsent)) unsent.release();
        reply = replacement == null ? Reply.Flat.CANCELLED : new Reply.Ready(replacement);
        if (body == BodyState.WANTED || body == BodyState.PAUSED || body == BodyState.UNREAD) deliverFailure(cause);
        if (was instanceof Reply.Streaming(ExchangeStream s)) s.cancelled();
        Thread w = worker;
        if (w != null) w.interrupt();
        Runnable first = cancelAction;
        List<Runnable> more = moreCancelActions;
        cancelAction = null;
        moreCancelActions = null;
        if (first != null) runGuarded(first::run);
        if (more != null) for (Runnable a : more) runGuarded(a::run);
    }

    /** Runs a handler or callback in this request's context; a throw becomes a 500 (or an abort). */
    void runGuarded(Callback callback) {
        Thread self = Thread.currentThread();
        Thread outer = handlerThread;
        handlerThread = self;
        try {
            context.<Void, Exception>call(() -> {
                callback.run();
                return null;
            });
        } catch (Throwable t) {
            host.handlerFailed(this, t);
        } finally {
            handlerThread = outer;
        }
    }

    /**
     * Whether {@code failure}, thrown by a handler or callback, is the client's doing rather than
     * a bug: it is, or was caused by, the failure of this request's body (a broken chunk, a
     * mid-body close, a body deadline) or a protocol violation; or the exchange was cancelled
     * (the client left, a deadline passed) and what failed was I/O or a wait on it. Anything else
     * after a cancel, a NullPointerException say, is still the handler's bug.
     */
    boolean isPeerFault(Throwable failure) {
        Throwable known = bodyFailure;
        boolean cancelled = !open;
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (t == known || t instanceof dev.weft.protocol.http.PeerViolation) return true;
            if (cancelled && (t instanceof IOException || t instanceof InterruptedException)) return true;
        }
        return false;
    }

    /** A blocking handler runs on {@code thread}; it is interrupted if the exchange is cancelled. */
    void worker(Thread thread) { worker = thread; }

    /** Takes a fresh context snapshot when a handler of ours calls in on its own thread. */
    private void capture() {
        if (handlerThread == Thread.currentThread()) context = RequestContext.of(request);
    }

    RequestContext context() { return context; }

    /** The application answers once, whether or not its answer still counts (step 1 above). */
    private void answerOnce() {
        if (((int) FLAGS.getAndBitwiseOr(this, ANSWERED) & ANSWERED) != 0) throw new UsageViolation("this exchange was already answered: " + request);
    }

    private boolean claim(int who) { return CLAIM.compareAndSet(this, FREE, who); }

    @Override public String toString() { return "exchange " + request; }
}
