package dev.weft.server;

import dev.weft.loop.Timer;
import dev.weft.net.Connection;
import dev.weft.net.ConnectionHandler;
import dev.weft.net.DataRate;
import dev.weft.net.WriteStalled;
import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.http1.Http1Event;
import dev.weft.protocol.http1.Http1Event.EndOfMessage;
import dev.weft.protocol.http1.Http1Event.RequestHead;
import dev.weft.protocol.http1.Http1Event.Signal;
import dev.weft.protocol.http1.Http1Parser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP/1.1 server side of one connection: one parser, the queue of exchanges in flight, and
 * the read deadlines. Every method runs on the connection's loop (ARCHITECTURE.md rule 1).
 *
 * <h2>Theory of operation</h2>
 * <ol>
 *   <li>Reading. {@link #onRead} feeds the parser and pulls events while {@link #canParse()}
 *       says so, which is where all backpressure lives: no new head while {@code maxPipelined}
 *       exchanges are in flight; no body bytes until the handler asks ({@link HttpExchange.BodyState});
 *       nothing after the last request. Bytes left unparsed stay with the {@link Connection}, which
 *       then stops reading the socket until {@link #resumeParsing()} (ARCHITECTURE.md rule 4).</li>
 *   <li>Dispatch. Each head becomes an {@link HttpExchange}, appended to {@code inFlight}, and is
 *       routed ({@link Dispatch}). The handler may answer at once or park the exchange.</li>
 *   <li>Writing. Responses leave strictly in request order (RFC 9112 §9.3.2): {@link ResponseQueue}
 *       writes the first exchange's reply as soon as it has one, then the next, and holds later
 *       replies until their turn. Output is flushed once per batch: at the end of {@code onRead},
 *       or by one queued flush task for replies that arrive from other threads.</li>
 *   <li>Deadlines (ARCHITECTURE.md rule 5). One re-armed read timer watches what we wait for from the peer
 *       ({@link #updateDeadline()}): keep-alive idle, the rest of a head, the next body bytes. One
 *       re-armed reply timer watches the oldest unanswered exchange. The write-stall deadline is
 *       the Connection's own.</li>
 *   <li>Endings. A codec violation is answered with its status and a close, after the responses
 *       already owed; an EOF or a reset cancels every exchange in flight, running their onCancel
 *       actions at once (nginx's 499 behaviour: a client that half-closes has left).</li>
 *   <li>Switching protocols. An exchange may switch the connection to another protocol (a
 *       WebSocket): after its 101 the parser is dropped and every callback goes to the new
 *       protocol's handler ({@link #switchTo}).</li>
 * </ol>
 */
final class Http1Connection implements ConnectionHandler {
    /** Where the parser stands; all transitions are in this file. */
    sealed interface Reading {
        /** Between requests ({@code IDLE}) or inside a head that has not completed ({@code HEAD}). */
        enum Await implements Reading { IDLE, HEAD }

        /** After a head, until its EndOfMessage: the body (possibly empty) of {@code exchange}. */
        record Body(HttpExchange exchange) implements Reading {}

        /** No more requests will be read on this connection. */
        enum Stopped implements Reading { STOPPED }
    }

    private final ServerCore core;
    private ServerLoop loop;
    private Connection connection;
    private Http1Parser parser;                // lent by the loop while reading; null while at rest
    private ResponseQueue responses;
    private final InFlight inFlight = new InFlight();
    private Reading reading = Reading.Await.IDLE;
    private Timer readTimer;
    private Deadline armed;                    // the read deadline the timer is set for; null for none
    private boolean bodyProgress;              // body bytes arrived since the body deadline was armed
    private DataRate bodyRate;                 // judges the body while one is wanted; made on first use
    private long bodyBytes;                    // body bytes since the deadline was last armed
    private boolean draining;
    private ByteBuffer fed;                    // the view of a read buffer the parser was last fed
    private ByteBuffer readBuffer;             // that view while this onRead parses it, else null
    private int boundary;                      // its position at the last message boundary
    private boolean parsePendingQueued;        // a task will pull the events the parser can give now
    private boolean blocked;                   // parsing stopped at the gate, not for want of bytes
    private UpgradedConnection upgraded;       // the protocol the connection switched to; then all goes there
    Http1Connection prevOnLoop;                // the loop's list of open connections (ServerLoop)
    Http1Connection nextOnLoop;
    boolean listed;

    Http1Connection(ServerCore core) { this.core = core; }

    // ---- ConnectionHandler ----

    @Override public void onOpen(Connection c) {
        connection = c;
        loop = core.loop(c.loop());
        responses = new ResponseQueue(this, c, loop, core, inFlight);
        readTimer = c.loop().newTimer(this::onReadDeadline);
        loop.stats.increment(ServerStats.Count.CONNECTIONS_ACCEPTED);
        loop.stats.increment(ServerStats.Count.CONNECTIONS_OPEN);
        loop.add(this);
        if (loop.stopping) {
            connection.close();
            return;
        }
        updateDeadline();
    }

    /**
     * Parses what arrived. The parser is fed a view of {@code in}, never {@code in} itself: when we
     * stop with bytes unparsed, the Connection compacts its buffer and hands the same object back
     * later, which the parser would (rightly) take for a caller feeding over unconsumed input. So
     * the old view is marked consumed (its bytes come back in {@code in}) and a fresh view is fed.
     */
    @Override public void onRead(Connection c, ByteBuffer in) {
        if (upgraded != null) {
            upgraded.onRead(c, in);
            return;
        }
        int start = in.position();
        if (fed != null) fed.position(fed.limit());
        ByteBuffer view = in.duplicate();
        fed = view;
        readBuffer = view;
        boundary = start;
        responses.batchStart();
        try {
            if (parser == null) parser = loop.parser(core.limits());
            parser.feed(view);
            drive();
        } catch (PeerViolation v) {
            violation(v);
        } finally {
            readBuffer = null;
            in.position(view.position());
            loop.stats.add(ServerStats.Count.BYTES_READ, in.position() - start);
            if (in.hasRemaining() && connection.isOpen() && upgraded == null) connection.suspendRead();
            responses.batchEnd();
        }
        if (upgraded != null) {                         // switched inside this read: what followed the head is the new protocol's
            if (in.hasRemaining() && c.isOpen()) upgraded.onRead(c, in);
            return;
        }
        updateDeadline();
        lendParserBack();
    }

    /**
     * The connection now speaks another protocol (theory step 6): the parser and the read
     * deadlines go, and every later callback goes to {@code next}. Bytes that arrived after the
     * upgrading request are left in the connection's buffer and reach {@code next} first: in
     * this very onRead if the switch came from inside it, else after resumeRead redelivers them.
     */
    void switchTo(UpgradedConnection next) {
        upgraded = next;
        reading = Reading.Stopped.STOPPED;
        readTimer.cancel();
        armed = null;
        parser = null;                                   // paused mid-connection: not at rest, not lent back
        fed = null;
        next.onOpen(connection);
        if (readBuffer == null && connection.isReadSuspended()) connection.resumeRead();
        // HTTP/1.1's own state goes once the call stack that switched has unwound: a WebSocket
        // held for hours should not keep a response queue and two timers it will never use.
        try {
            connection.loop().execute(() -> {                     // queued: never inside the switch's own stack
                responses = null;
                readTimer = null;
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // the loop is shutting down: the connection goes with it
        }
    }

    /**
     * Between messages the parser holds nothing, so it goes back to the loop and an idle
     * connection, a parked long-poll's included, costs no parser (ARCHITECTURE.md rule 3).
     */
    private void lendParserBack() {
        if (parser == null || readBuffer != null || reading instanceof Reading.Body || !parser.isAtRest()) return;
        loop.release(parser);
        parser = null;
        fed = null;
    }

    boolean holdsParser() { return parser != null; }

    /**
     * The invariant of theory step 4: whatever state the connection is in, a deadline is armed
     * for what it waits on (the peer's bytes, the application's reply or next piece, the peer
     * taking our output, the linger after our FIN), or a task of its own is queued to go on.
     */
    boolean waitsWithDeadline() {
        if (upgraded != null) return connection.hasDeadlineArmed();    // the new protocol keeps its own deadlines
        return readTimer.isPending() || responses.awaitsApplication() || connection.hasDeadlineArmed()
                || parsePendingQueued;
    }

    /** EOF: the client has left (theory step 5); what is already queued is still flushed. */
    @Override public void onInputClosed(Connection c) {
        if (upgraded != null) {
            upgraded.onInputClosed(c);
            return;
        }
        cancelAll(new IOException("the client closed its side of the connection"));
        c.close();
    }

    /** Output fell to the low-water mark: held replies go out, then parsing may go on. */
    @Override public void onWritable(Connection c) {
        if (upgraded != null) {
            upgraded.onWritable(c);
            return;
        }
        responses.onWritable();
        resumeParsing();
    }

    @Override public void onClose(Connection c) {
        if (upgraded != null) {
            try {
                upgraded.onClose(c);
            } finally {
                loop.remove(this);
                loop.stats.add(ServerStats.Count.CONNECTIONS_OPEN, -1);
            }
            return;
        }
        readTimer.cancel();
        responses.closed();
        fed = null;
        if (c.failure().orElse(null) instanceof WriteStalled w) {
            loop.stats.deadline(w.belowMinimumRate() ? Deadline.MIN_DATA_RATE : Deadline.WRITE_STALL);
        }
        reading = Reading.Stopped.STOPPED;
        cancelAll(c.failure().orElseGet(() -> new IOException("connection closed")));
        loop.remove(this);
        loop.stats.add(ServerStats.Count.CONNECTIONS_OPEN, -1);
        lendParserBack();
    }

    // ---- parsing ----

    private void drive() {
        while (canParse()) {
            Http1Event event = parser.next();
            switch (event) {
                case RequestHead head -> onHead(head);
                case Http1Event.Body(ByteBuffer bytes) -> onBody(bytes);
                case EndOfMessage end -> onEnd(end);
                case Signal signal -> {
                    if (!onSignal(signal)) {
                        blocked = false;
                        return;
                    }
                }
                case Http1Event.ResponseHead _ -> throw new AssertionError("server role never yields a response head");
            }
        }
        blocked = true;
    }

    /**
     * The one gate on parsing: see the theory of operation, step 1. A new head waits while the
     * connection's output is above its high-water mark: a client that sends requests and reads
     * no responses would otherwise have us produce replies for ever into memory.
     * {@code ENDED} inside a body means a handler read a body-less request to its end before the
     * parser gave its EndOfMessage; that event is still owed, so parsing goes on to take it.
     */
    private boolean canParse() {
        if (upgraded != null) return false;
        return switch (reading) {
            case Reading.Await _ -> inFlight.size() < core.maxPipelined() && connection.isWritable();
            case Reading.Body(HttpExchange ex) -> switch (ex.bodyState()) {
                case NONE, WANTED, DRAINING, ENDED -> true;
                case UNREAD, PAUSED, FAILED -> false;
            };
            case Reading.Stopped _ -> false;
        };
    }

    /** False when parsing stops for now. */
    private boolean onSignal(Signal signal) {
        switch (signal) {
            case NEED_MORE -> {
                if (reading == Reading.Await.IDLE && readBuffer != null && readBuffer.position() > boundary) {
                    reading = Reading.Await.HEAD;            // bytes of the next head have begun
                }
                return false;
            }
            case PAUSED -> {
                if (upgraded != null) return false;          // switched: the rest is the new protocol's
                parser.resume();                             // an Upgrade no route took: stay HTTP/1.1
                return true;
            }
            case CLOSED -> {
                stopReading();
                return false;
            }
        }
        return false;
    }

    private void onHead(RequestHead head) {
        loop.stats.increment(ServerStats.Count.REQUESTS);
        var request = new Request(head.method(), head.target(), head.version(), head.headers(), head.framing(),
                connection, core.scope());
        if (head.upgrade()) request.markUpgrade();
        var ex = new HttpExchange(responses, request, connection.loop().nanoTime());
        ex.keepAlive = head.keepAlive() && !draining;
        ex.continueDue = head.expectContinue() && head.version() == Version.HTTP_1_1;   // RFC 9110 §10.1.1
        inFlight.addLast(ex);
        reading = new Reading.Body(ex);
        if (loop.overBudget()) responses.turnAway(ex);   // memory is spent: answer 503 before any work
        else Dispatch.route(core.router(), ex);
        responses.armReplyTimer();                     // after: a reply given at once needs no timer
    }

    private void onBody(ByteBuffer bytes) {
        bodyProgress = true;
        bodyBytes += bytes.remaining();
        if (reading instanceof Reading.Body(HttpExchange ex)) ex.deliver(bytes);
    }

    private void onEnd(EndOfMessage end) {
        if (reading instanceof Reading.Body(HttpExchange ex)) ex.deliverEnd(end.trailers());
        reading = draining ? Reading.Stopped.STOPPED : Reading.Await.IDLE;
        if (readBuffer != null) boundary = readBuffer.position();
        if (reading == Reading.Stopped.STOPPED) responses.closeWhenDone();
    }

    // ---- called by the ResponseQueue and the exchanges (loop) ----

    /** The exchange's reader starts: its limit, then parse on. */
    void readingStarted(HttpExchange ex, long maxBytes) {
        if (reading instanceof Reading.Body(HttpExchange current) && current == ex) parser.bodyLimit(maxBytes);
        resumeParsing();
    }

    /** Something that held parsing back has let go: parse on, from the bytes the connection kept. */
    void resumeParsing() {
        if (!canParse()) return;
        updateDeadline();
        if (readBuffer != null) return;                // inside onRead: its drive loop goes on by itself
        if (connection.isReadSuspended()) {
            connection.resumeRead();                   // the kept bytes come back in a task: no nesting
        } else if (blocked && !parsePendingQueued && !holdsUnparsedView()) {
            // The parser may owe events that need no new bytes: a body that paused on its last
            // piece still has its EndOfMessage to give, and the peer, having sent everything, is
            // silent. A task, not a call, since we may be inside batchEnd of an onRead.
            parsePendingQueued = true;
            connection.loop().execute(this::parsePending);
        }
    }

    /**
     * The parser was last fed a view that still has bytes: the connection kept them (compacting
     * its buffer, so the view no longer shows them where it thinks) and will deliver them again
     * through {@link #onRead}. Parsing from the view meanwhile would read moved or reused bytes.
     */
    private boolean holdsUnparsedView() { return fed != null && fed.hasRemaining(); }

    private void parsePending() {
        parsePendingQueued = false;
        if (parser == null || !connection.isOpen() || readBuffer != null || !canParse() || holdsUnparsedView()) return;
        responses.batchStart();
        try {
            drive();
        } catch (PeerViolation v) {
            violation(v);
        } finally {
            responses.batchEnd();
        }
        updateDeadline();
        lendParserBack();
    }

    /** The body of the exchange being read is not needed any more: skip it, or give up the connection. */
    boolean skipBody(HttpExchange ex) {
        if (!(reading instanceof Reading.Body(HttpExchange current)) || current != ex) return true;
        boolean small = ex.req().contentLength().orElse(Long.MAX_VALUE) <= ResponseQueue.DRAIN_LIMIT;
        if (small && !ex.continueDue) {                // a client told to wait (Expect) may never send it
            ex.bodyState(HttpExchange.BodyState.DRAINING);
            resumeParsing();
            return true;
        }
        stopReading();
        return false;
    }

    /** No request after the current one will be read. */
    void stopReading() {
        if (reading == Reading.Stopped.STOPPED) return;
        reading = Reading.Stopped.STOPPED;
        responses.closeWhenDone();
    }

    boolean isReadingStopped() { return reading == Reading.Stopped.STOPPED || draining; }

    /** Graceful stop: no new requests; long-lived exchanges end themselves; close as soon as nothing is owed. */
    void drain() {
        if (upgraded != null) {
            upgraded.drain(connection);
            return;
        }
        draining = true;
        if (reading instanceof Reading.Await) stopReading();
        for (HttpExchange ex : inFlight.snapshot()) ex.drain();
        responses.closeWhenDone();
    }

    /** Whether a graceful stop should give this connection its own moment in the drain window (see {@link Exchange#onDrain}). */
    boolean isLongLived() {
        if (upgraded != null) return true;
        for (HttpExchange ex : inFlight) if (ex.wantsDrain()) return true;
        return false;
    }

    void abort() { connection.abort(); }

    // ---- deadlines ----

    /**
     * Arms the read timer for what we are waiting for from the peer now (theory step 4). While a
     * body is wanted the timer also judges its rate: it fires at the end of each window of
     * {@code requestBody}, when fewer than {@code minDataRate} bytes per second arrived in it is
     * a timeout as much as silence is.
     */
    void updateDeadline() {
        Deadline want = switch (reading) {
            case Reading.Await.HEAD -> Deadline.REQUEST_HEAD;
            case Reading.Await.IDLE -> inFlight.isEmpty() ? Deadline.KEEP_ALIVE_IDLE : null;
            case Reading.Body(HttpExchange ex) -> switch (ex.bodyState()) {
                case WANTED, DRAINING -> Deadline.REQUEST_BODY;
                case NONE, UNREAD, PAUSED, ENDED, FAILED -> null;
            };
            case Reading.Stopped _ -> null;
        };
        if (want == armed && !(want == Deadline.REQUEST_BODY && bodyProgress)) return;
        long now = connection.loop().nanoTime();
        if (want == Deadline.REQUEST_BODY) {
            if (armed != Deadline.REQUEST_BODY) bodyRate().start(now);
            else bodyRate().progressed(bodyBytes, now);
        }
        bodyBytes = 0;
        bodyProgress = false;
        armed = want;
        if (want == null) readTimer.cancel();
        else readTimer.schedule(delay(want, now), TimeUnit.NANOSECONDS);
    }

    private DataRate bodyRate() {
        if (bodyRate == null) bodyRate = new DataRate(core.timeouts().requestBody(), core.timeouts().minDataRate());
        return bodyRate;
    }

    private long delay(Deadline want, long now) {
        return want == Deadline.REQUEST_BODY ? Math.max(0, bodyRate().nextCheck() - now) : timeout(want).toNanos();
    }

    private Duration timeout(Deadline d) {
        ServerTimeouts t = core.timeouts();
        return switch (d) {
            case REQUEST_HEAD -> t.requestHead();
            case REQUEST_BODY, MIN_DATA_RATE -> t.requestBody();
            case KEEP_ALIVE_IDLE -> t.keepAliveIdle();
            case WRITE_STALL -> t.writeStall();
            case REPLY -> t.reply();
        };
    }

    private void onReadDeadline() {
        Deadline fired = armed;
        if (fired == null || !connection.isOpen()) {
            armed = null;
            return;
        }
        if (fired == Deadline.REQUEST_BODY) {
            if (bodyWindowEnded()) return;
            fired = armed;                             // REQUEST_BODY for silence, MIN_DATA_RATE if too slow
        }
        armed = null;
        loop.stats.deadline(fired);
        switch (fired) {
            case KEEP_ALIVE_IDLE -> connection.close();
            case REQUEST_HEAD -> {
                reading = Reading.Stopped.STOPPED;
                responses.failWith(Response.text(Status.REQUEST_TIMEOUT, "request head not received in time\n"));  // RFC 9110 §15.5.9
            }
            case REQUEST_BODY, MIN_DATA_RATE -> bodyTimedOut(fired == Deadline.REQUEST_BODY
                    ? "request body not received in time" : "request body arrived below the minimum data rate");
            case WRITE_STALL, REPLY -> throw new AssertionError(fired + " is not a read deadline");
        }
    }

    /**
     * The body timer fired: silence, too slow, or the end of a window that went well. True when
     * it is the last (the next check is armed); false when the body must time out, with
     * {@code armed} telling which deadline it failed.
     */
    private boolean bodyWindowEnded() {
        long now = connection.loop().nanoTime();
        switch (bodyRate().judge(now)) {
            case SILENT -> { return false; }
            case TOO_SLOW -> {
                armed = Deadline.MIN_DATA_RATE;
                return false;
            }
            case ON_TIME -> {
                readTimer.schedule(delay(Deadline.REQUEST_BODY, now), TimeUnit.NANOSECONDS);
                return true;
            }
        }
        return false;
    }

    private void bodyTimedOut(String why) {
        var ex = ((Reading.Body) reading).exchange();
        stopReading();
        ex.deliverFailure(new IOException(why));
        if (!ex.serverReply(Response.text(Status.REQUEST_TIMEOUT, why + "\n"))) responses.closeWhenDone();
    }

    // ---- failures ----

    /** The peer broke HTTP/1.1: answer the violation's status once what is owed is sent, then close (ARCHITECTURE.md rule 6). */
    private void violation(PeerViolation v) {
        loop.stats.violation(v.violation());
        Server.LOG.debug(() -> connection.remoteAddress() + ": " + v.getMessage());
        Reading was = reading;
        reading = Reading.Stopped.STOPPED;
        var answer = Response.text(v.violation().status(), v.violation() + " (" + v.violation().rfc() + ")\n");
        if (was instanceof Reading.Body(HttpExchange ex) && ex.bodyState() != HttpExchange.BodyState.ENDED) {
            ex.deliverFailure(v);
            if (ex.serverReply(answer)) {
                responses.closeWhenDone();
                return;
            }
        }
        responses.failWith(answer);
    }

    private void cancelAll(Throwable cause) {
        if (reading != Reading.Stopped.STOPPED) reading = Reading.Stopped.STOPPED;
        for (HttpExchange ex : inFlight.snapshot()) ex.cancel(cause);
    }

    boolean isEmpty() { return inFlight.isEmpty(); }

    Connection connection() { return connection; }

    @Override public String toString() { return "http1 " + (connection == null ? "unopened" : connection.remoteAddress()); }
}
