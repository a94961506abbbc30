package dev.weft.client;

import dev.weft.loop.Timer;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;

import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One request and its response on a {@link ClientConnection}: loop-confined state, the caller's
 * {@link ResponseReader}, and the deadlines that watch it.
 *
 * <h2>Lifecycle</h2>
 * <ol>
 *   <li>{@code CONTINUE}: the head was sent with {@code Expect: 100-continue}; the body waits for
 *       the 100, for a final response (then it is never sent), or for the continue deadline.</li>
 *   <li>{@code SENDING}: a streamed body is being written by its source; the source may be
 *       silent for the read deadline between pieces. Then {@code HEAD}.</li>
 *   <li>{@code HEAD}: the request is written; the final response head is awaited (responseHead
 *       deadline).</li>
 *   <li>{@code BODY}: the body arrives (read deadline between pieces; paused while the reader
 *       holds back).</li>
 *   <li>{@code DONE} or {@code FAILED}: the reader has been told, once. The whole-exchange deadline
 *       runs from the call through all of these.</li>
 * </ol>
 */
final class ClientExchange {
    enum Stage { CONTINUE, SENDING, HEAD, BODY, DONE, FAILED }

    final ClientRequest request;
    private final ResponseReader reader;
    private final ClientTimeouts timeouts;
    private ClientConnection connection;
    private Stage stage = Stage.HEAD;
    private Timer exchangeTimer;
    private Timer waitTimer;                   // continue, head or read, whichever applies now
    boolean paused;
    boolean responseStarted;                   // a byte of the response came: not safe to retry
    boolean reused;                            // sent on a connection that served before

    ClientExchange(ClientRequest request, ResponseReader reader, ClientTimeouts timeouts) {
        this.request = request;
        this.reader = reader;
        this.timeouts = timeouts;
    }

    Stage stage() { return stage; }

    ClientConnection connection() { return connection; }

    boolean isOver() { return stage == Stage.DONE || stage == Stage.FAILED; }

    /** Bound to its connection, on the connection's loop: the deadlines start. */
    void attach(ClientConnection c, boolean expectContinue) {
        connection = c;
        if (exchangeTimer == null) startClock(c.loop());
        waitTimer = c.loop().newTimer(this::onWaitDeadline);
        boolean streamed = request.source().isPresent();
        stage = expectContinue ? Stage.CONTINUE : streamed ? Stage.SENDING : Stage.HEAD;
        arm(expectContinue ? timeouts.expectContinue() : streamed ? timeouts.read() : timeouts.responseHead());
    }

    /** A piece of a streamed body went out: the source's silence is measured from now. */
    void bodyProgress() {
        if (stage == Stage.SENDING) arm(timeouts.read());
    }

    /** The streamed body is complete: the head is awaited now. */
    void streamSent() {
        if (stage != Stage.SENDING) return;
        stage = Stage.HEAD;
        arm(timeouts.responseHead());
    }

    /** The whole-exchange deadline may start before a connection exists (connect, pool wait). */
    void startClock(dev.weft.loop.EventLoop loop) {
        Duration whole = request.timeout().orElse(timeouts.exchange());
        exchangeTimer = loop.schedule(whole.toNanos(), TimeUnit.NANOSECONDS,
                () -> fail(new SocketTimeoutException("no complete response within " + whole)));
    }

    private void arm(Duration d) { waitTimer.schedule(d.toNanos(), TimeUnit.NANOSECONDS); }

    private void onWaitDeadline() {
        switch (stage) {
            case CONTINUE -> connection.sendBody(this);               // curl's way: send it anyway
            case SENDING -> fail(new SocketTimeoutException("the request body's source wrote nothing for " + timeouts.read()));
            case HEAD -> fail(new SocketTimeoutException("no response head within " + timeouts.responseHead()));
            case BODY -> {
                if (!paused) fail(new SocketTimeoutException("no body bytes for " + timeouts.read()));
            }
            case DONE, FAILED -> { }
        }
    }

    /** The body went out (after a 100, or the continue deadline): the head is awaited now. */
    void bodySent() {
        if (stage != Stage.CONTINUE) return;
        stage = Stage.HEAD;
        arm(timeouts.responseHead());
    }

    void head(Status status, Headers headers) {
        responseStarted = true;
        stage = Stage.BODY;
        arm(timeouts.read());
        reader.onHead(status, headers);
    }

    /** A body piece; false when the reader paused. */
    boolean bytes(ByteBuffer piece) {
        if (isOver()) return true;
        arm(timeouts.read());
        boolean more = reader.onBytes(piece);
        paused = !more;
        return more;
    }

    void end(Headers trailers) {
        if (isOver()) return;
        stage = Stage.DONE;
        stopTimers();
        reader.onEnd(trailers);
    }

    /** Ends the exchange with {@code cause}, once; the connection closes if it was in use. */
    void fail(Throwable cause) {
        if (isOver()) return;
        stage = Stage.FAILED;
        stopTimers();
        if (connection != null) connection.exchangeFailed(this);
        reader.onFailure(cause);
    }

    /** Before a connection: fail without one (connect failed, the pool refused). */
    void failUnattached(Throwable cause) {
        if (isOver()) return;
        stage = Stage.FAILED;
        stopTimers();
        reader.onFailure(cause);
    }

    private void stopTimers() {
        if (exchangeTimer != null) exchangeTimer.cancel();
        if (waitTimer != null) waitTimer.cancel();
    }
}
