package dev.weft.server;

import dev.weft.loop.Timer;
import dev.weft.net.Connection;
import dev.weft.net.FileRegion;
import dev.weft.protocol.http.ByteSink;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.http1.BodyEncoder;
import dev.weft.protocol.http1.BodyFraming;
import dev.weft.protocol.http1.Http1Writer;
import dev.weft.protocol.http1.RequestInfo;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The writing half of an {@link Http1Connection}, and the {@link ExchangeHost} of its exchanges.
 * Loop-only, except the methods ExchangeHost marks "any thread".
 *
 * <h2>Theory of operation</h2>
 * <ol>
 *   <li>{@code inFlight} (shared with the reading half) holds the exchanges in request order.
 *       {@link #writeReady()} looks only at the first: a {@code Ready} reply is written whole and
 *       the exchange leaves the queue, then the next is looked at; a {@code Streaming} reply gets
 *       its head written and becomes {@code streaming} until its stream ends; an {@code AWAITING}
 *       one stops the walk (and may be owed a 100 Continue).</li>
 *   <li>Each head is written by the loop's {@link Http1Writer}, which decides framing and whether
 *       the connection closes after it ({@link Http1Writer#willClose}); bodies go through a
 *       {@link BodyEncoder}; all into the connection's sink.</li>
 *   <li>Flushing is batched inside a read batch, once at its end. A whole reply that comes from
 *       a task is flushed at once, so its pooled buffer goes back before the next connection's
 *       reply takes one (a fan-out answers thousands in one task); a stream's pieces from a task
 *       wait for one queued flush task, which takes every piece that lands before it runs.</li>
 *   <li>When the connection must close (the last response said so, a violation, a stop), it closes
 *       once nothing more is owed; a final error response, if any, goes out first.</li>
 * </ol>
 */
final class ResponseQueue implements ExchangeHost {
    /** A body left unread this small (Content-Length) is read and dropped, to keep the connection; else close. */
    static final long DRAIN_LIMIT = 64 << 10;
    /** The answer when the memory budget is spent (RFC 9110 §15.6.4; Retry-After, §10.2.3). */
    static final Response BUSY = Response.text(Status.SERVICE_UNAVAILABLE, "server busy; retry later\n")
            .withHeader("retry-after", "1");

    private final Http1Connection reader;
    private final Connection connection;
    private final ServerLoop loop;
    private final ServerCore core;
    private final InFlight inFlight;
    private final ByteSink out;
    private Timer replyTimer;                  // made when first armed: a reply given at once never needs it
    private HttpExchange replyWatched;
    private long pieces;                       // body pieces written by streams, ever
    private long piecesSeen;                   // pieces when the reply timer was armed for a stream
    private boolean watchingStream;
    private int streamStatus;                  // the stream's status, for the access log
    private long streamBytes;                  // its body bytes so far            // the reply timer watches replyWatched's stream, not its start
    private HttpExchange streaming;            // the first exchange, while its stream is being written
    private BodyEncoder encoder;               // its body's encoder
    private BodyFraming streamFraming;
    private RequestInfo streamInfo;
    private Headers streamHeaders;
    private boolean closeWhenDone;
    private Response finalResponse;            // an error answer owed after the rest; null for none
    private boolean inBatch, flushNeeded, flushScheduled, closed;

    ResponseQueue(Http1Connection reader, Connection connection, ServerLoop loop, ServerCore core,
                  InFlight inFlight) {
        this.reader = reader;
        this.connection = connection;
        this.loop = loop;
        this.core = core;
        this.inFlight = inFlight;
        this.out = new CountingSink(connection.sink(), loop.stats);
    }

    // ---- ExchangeHost: any thread ----

    @Override public dev.weft.loop.EventLoop eventLoop() { return connection.loop(); }

    @Override public void setWatermarks(int high, int low) { connection.setWatermarks(high, low); }

    @Override public void execute(Runnable task) {
        try {
            connection.execute(task);
        } catch (RejectedExecutionException stopped) {
            // the loop has shut down: the connection is gone, and so is anyone to answer
        }
    }

    @Override public void post(Runnable task) {
        try {
            connection.loop().execute(task);
        } catch (RejectedExecutionException stopped) {
            // as above
        }
    }

    @Override public boolean inLoop() { return connection.loop().inLoop(); }

    @Override public void handlerFailed(HttpExchange ex, Throwable failure) {
        if (ex.isPeerFault(failure)) {
            // The client left, broke its body, or let a deadline pass, and the handler's read or
            // write failed for it: expected input, one line at DEBUG (it is counted).
            loop.stats.increment(ServerStats.Count.PEER_FAULTS);
            Server.LOG.debug(() -> "handler for " + ex.req() + " ended by the client: " + failure);
        } else {
            loop.stats.increment(ServerStats.Count.HANDLER_EXCEPTIONS);
            Server.LOG.warn("handler failed for " + ex.req(), failure);
        }
        execute(() -> {
            if (ex.serverReply(Response.text(Status.INTERNAL_SERVER_ERROR, "Internal Server Error\n"))) return;
            if (ex == streaming) abortBody(ex);
        });
    }

    @Override public void release(long n) { loop.release(n); }

    // ---- ExchangeHost: loop ----

    @Override public boolean reserve(long n) { return loop.reserve(n); }

    @Override public void turnAway(HttpExchange ex) {
        loop.stats.increment(ServerStats.Count.TURNED_AWAY);
        Server.LOG.debug(() -> "memory budget spent; turning away " + ex.req());
        reader.stopReading();
        ex.deliverFailure(new IOException("the server's memory budget is spent"));
        ex.serverReply(BUSY);
    }

    @Override public void replyReady(HttpExchange ex) { writeReady(); }

    @Override public void readingStarted(HttpExchange ex, long maxBytes) {
        reader.readingStarted(ex, maxBytes);
        sendContinueIfDue();
    }

    @Override public void bodyWanted(HttpExchange ex) { reader.resumeParsing(); }

    @Override public void writeBody(HttpExchange ex, ByteBuffer piece) {
        assert ex == streaming : "a body piece for an exchange that is not being written";
        pieces++;
        if (streamFraming instanceof BodyFraming.Empty) return;     // a reply to HEAD: the head was all
        streamBytes += piece.remaining();
        try {
            encoder.encode(piece, out);
        } catch (UsageViolation overrun) {                 // more than its own Content-Length
            handlerFailed(ex, overrun);
            return;
        }
        flushLater();
    }

    @Override public void endBody(HttpExchange ex, Headers trailers) {
        assert ex == streaming : "the end of a body for an exchange that is not being written";
        try {
            encoder.finish(streamFraming instanceof BodyFraming.Chunked ? trailers : Headers.empty(), out);
        } catch (UsageViolation shortBody) {               // less than its own Content-Length
            handlerFailed(ex, shortBody);
            return;
        }
        boolean close = Http1Writer.willClose(streamFraming, streamInfo, streamHeaders);
        log(ex.req(), streamStatus, streamBytes, ex.startNanos());
        streaming = null;
        encoder = null;
        completed(ex, close);
        writeReady();
        flushSoon();
    }

    @Override public void abortBody(HttpExchange ex) { connection.abort(); }

    @Override public boolean isWritable() { return connection.isWritable(); }

    @Override public long pendingBytes() { return connection.pendingBytes(); }

    @Override public int highWaterMark() { return core.options().highWaterMark(); }

    // ---- the queue ----

    /**
     * Writes every reply that is ready, in order (theory step 1), while the connection is below
     * its high-water mark; above it, replies wait here as they are, uncopied, until
     * {@link #onWritable()}.
     */
    void writeReady() {
        while (!inFlight.isEmpty() && streaming == null && !closed) {
            HttpExchange ex = inFlight.peekFirst();
            HttpExchange.Reply reply = ex.replyState();
            boolean writes = reply instanceof HttpExchange.Reply.Ready || reply instanceof HttpExchange.Reply.Streaming;
            if (writes && !connection.isWritable()) return;
            switch (reply) {
                case HttpExchange.Reply.Flat.AWAITING -> {
                    sendContinueIfDue();
                    return;
                }
                case HttpExchange.Reply.Ready(Response r) when r.writer().isPresent() && ex.req().method() != Method.HEAD -> {
                    ExchangeStream stream = ex.streamInstead(r);
                    if (startStream(ex, stream)) Dispatch.runWriter(ex, stream, r.writer().get());
                }
                case HttpExchange.Reply.Ready(Response r) -> writeWhole(ex, r);
                case HttpExchange.Reply.Streaming(ExchangeStream s) -> startStream(ex, s);
                case HttpExchange.Reply.Switching sw -> {
                    switchProtocols(ex, sw);
                    return;
                }
                case HttpExchange.Reply.Flat.CANCELLED, HttpExchange.Reply.Flat.SENT -> {
                    connection.close();                    // a response cannot be skipped: the rest are lost
                    return;
                }
            }
        }
        if (inFlight.isEmpty() && closeWhenDone) finish();
        else if (inFlight.isEmpty()) reader.updateDeadline();
    }

    private void writeWhole(HttpExchange ex, Response r) {
        RequestInfo info = prepareHead(ex);
        loop.tickDate();
        BodyFraming framing;
        try {
            framing = loop.writer.writeResponseHead(r.status(), r.headers(), r.contentLength(), info, out);
        } catch (UsageViolation badResponse) {             // the writer wrote nothing: answer 500 instead
            Server.LOG.warn("unsendable response to " + ex.req(), badResponse);
            loop.stats.increment(ServerStats.Count.HANDLER_EXCEPTIONS);
            r.release();
            r = Response.text(Status.INTERNAL_SERVER_ERROR, "Internal Server Error\n");
            framing = loop.writer.writeResponseHead(r.status(), r.headers(), r.contentLength(), info, out);
        }
        if (r.file().isPresent()) {
            writeFile(r.file().get(), framing);
        } else if (!(framing instanceof BodyFraming.Empty)) {
            var body = BodyEncoder.of(framing);
            body.encode(r.body(), out);
            body.finish(out);
        }
        log(ex.req(), r.status().code(), framing instanceof BodyFraming.Empty ? 0 : r.contentLength(), ex.startNanos());
        completed(ex, Http1Writer.willClose(framing, info, r.headers()));
        flushSoon();
    }

    /**
     * A file body: its bytes parts through the sink, its spans as file regions, in order. The
     * framing is Content-Length (the length is known) or nothing at all (HEAD, 304).
     */
    private void writeFile(FileContent file, BodyFraming framing) {
        if (framing instanceof BodyFraming.Empty) {
            file.release();
            return;
        }
        var parts = file.parts();
        int lastSpan = -1;
        for (int i = 0; i < parts.size(); i++) if (parts.get(i) instanceof FileContent.Part.Span) lastSpan = i;
        if (lastSpan < 0) file.release();
        for (int i = 0; i < parts.size(); i++) {
            switch (parts.get(i)) {
                case FileContent.Part.Bytes(ByteBuffer bytes) -> out.write(bytes.duplicate());
                case FileContent.Part.Span(long offset, long length) -> {
                    loop.stats.add(ServerStats.Count.BYTES_WRITTEN, length);
                    connection.write(new FileRegion(file.channel(), offset, length, i == lastSpan, length <= file.copyBelow())
                            .origin(file.origin()));
                }
            }
        }
    }

    /**
     * The first exchange switches the connection to another protocol: its interim head (101) goes
     * out, the exchange is done, requests pipelined behind it are refused (they were sent as
     * HTTP/1.1 over a connection that no longer speaks it), and the reading half hands over.
     * A request with a body unread, or not asking to upgrade, cannot switch: 500, a bug.
     */
    private void switchProtocols(HttpExchange ex, HttpExchange.Reply.Switching sw) {
        if (!ex.req().isUpgrade() || ex.bodyState() == HttpExchange.BodyState.UNREAD
                || ex.bodyState() == HttpExchange.BodyState.PAUSED) {
            ex.bodyState(HttpExchange.BodyState.FAILED);
            loop.stats.increment(ServerStats.Count.HANDLER_EXCEPTIONS);
            Server.LOG.warn("switchProtocols on a request that did not ask to upgrade, or has a body: " + ex.req(), null);
            connection.close();
            return;
        }
        if (sw.status() != null) {
            loop.writer.writeInterim(sw.status(), sw.headers(), out);
            log(ex.req(), sw.status().code(), 0, ex.startNanos());
        }
        inFlight.pollFirst();
        ex.sent();
        ex.req().attach(null);                       // the request lives on in the session's context; its exchange need not
        loop.stats.increment(ServerStats.Count.RESPONSES);
        for (HttpExchange later : inFlight.snapshot()) later.cancel(new java.io.IOException("the connection switched protocols"));
        inFlight.clear();
        closed = true;                               // nothing of HTTP/1.1 is written from now on
        if (replyTimer != null) replyTimer.cancel();
        connection.flush();
        reader.switchTo(sw.next());
    }

    /** Writes the head of a streamed response and hands the stream the connection; false if the head was unsendable. */
    private boolean startStream(HttpExchange ex, ExchangeStream stream) {
        RequestInfo info = prepareHead(ex);
        Response head = stream.head();
        loop.tickDate();
        BodyFraming framing;
        try {
            framing = loop.writer.writeResponseHead(head.status(), head.headers(), Http1Writer.UNKNOWN_LENGTH, info, out);
        } catch (UsageViolation badHead) {
            loop.stats.increment(ServerStats.Count.HANDLER_EXCEPTIONS);
            Server.LOG.warn("unsendable response head for " + ex.req(), badHead);
            ex.cancel(badHead);
            connection.close();
            return false;
        }
        streaming = ex;
        streamStatus = head.status().code();
        streamBytes = 0;
        encoder = BodyEncoder.of(framing);
        streamFraming = framing;
        streamInfo = info;
        streamHeaders = head.headers();
        armReplyTimer();
        stream.attach();
        flushSoon();
        return true;
    }

    /**
     * Settles what happens to an unread request body (skipped or the connection given up), and
     * returns the request facts the writer needs: keep-alive only if nothing forces a close.
     */
    private RequestInfo prepareHead(HttpExchange ex) {
        boolean bodyDone = switch (ex.bodyState()) {
            case NONE, ENDED, DRAINING -> true;
            case UNREAD, PAUSED -> reader.skipBody(ex);
            case WANTED -> true;                          // the handler is reading it: it will end
            case FAILED -> false;
        };
        boolean last = inFlight.size() == 1 && (reader.isReadingStopped() || closeWhenDone || loop.stopping);
        boolean keepAlive = ex.keepAlive && bodyDone && !last && !ex.mustClose;
        return new RequestInfo(ex.req().method(), ex.req().version(), keepAlive);
    }

    /** Tells the access log; {@code request} is null for an answer to a request that could not be parsed. */
    private void log(Request request, int status, long bytes, long startNanos) {
        if (core.accessLog() == AccessLog.NONE) return;
        long nanos = connection.loop().nanoTime() - startNanos;
        var entry = request == null
                ? new AccessLog.Entry(connection.remoteAddress(), "-", "-", "-", status, bytes, 0, System.currentTimeMillis())
                : new AccessLog.Entry(request.remoteAddress(), request.method().toString(), request.target().raw(),
                        request.version().toString(), status, bytes, nanos, System.currentTimeMillis() - nanos / 1_000_000);
        try {
            core.accessLog().completed(entry);
        } catch (RuntimeException e) {
            Server.LOG.warn("the access log threw", e);
        }
    }

    /** The first exchange's response is all in the sink. */
    private void completed(HttpExchange ex, boolean close) {
        HttpExchange first = inFlight.pollFirst();
        assert first == ex : "responses out of order";
        ex.sent();
        loop.stats.increment(ServerStats.Count.RESPONSES);
        if (close) {
            closeWhenDone = true;
            reader.stopReading();
            for (HttpExchange later : inFlight.snapshot()) later.cancel(new java.io.IOException("the connection closes"));
            inFlight.clear();
        }
        armReplyTimer();
        reader.resumeParsing();
    }

    /** 100 Continue for the first exchange, once its body is wanted (RFC 9110 §10.1.1). */
    private void sendContinueIfDue() {
        HttpExchange ex = inFlight.peekFirst();
        if (ex == null || !ex.continueDue || streaming != null || closed) return;
        if (ex.bodyState() != HttpExchange.BodyState.WANTED) return;
        ex.continueDue = false;
        loop.writer.writeInterim(Status.CONTINUE, Headers.empty(), out);
        flushSoon();
    }

    // ---- endings ----

    /** Close once nothing more is owed. */
    void closeWhenDone() {
        closeWhenDone = true;
        if (inFlight.isEmpty() && streaming == null) finish();
    }

    /** Answer {@code response} after what is owed, then close. */
    void failWith(Response response) {
        if (finalResponse == null) finalResponse = response;
        closeWhenDone();
    }

    private void finish() {
        if (closed) return;
        closed = true;
        if (finalResponse != null) {
            loop.tickDate();
            var info = new RequestInfo(Method.GET, Version.HTTP_1_1, false);
            BodyFraming f = loop.writer.writeResponseHead(finalResponse.status(), finalResponse.headers(),
                    finalResponse.contentLength(), info, out);
            if (!(f instanceof BodyFraming.Empty)) out.write(finalResponse.body());
            loop.stats.increment(ServerStats.Count.RESPONSES);
            log(null, finalResponse.status().code(), finalResponse.contentLength(), connection.loop().nanoTime());
        }
        connection.close();
    }

    void closed() {
        closed = true;
        if (replyTimer != null) replyTimer.cancel();
    }

    void onWritable() {
        if (streaming != null && streaming.replyState() instanceof HttpExchange.Reply.Streaming(ExchangeStream s)) {
            s.onWritable();
        } else {
            writeReady();
            flushSoon();
        }
    }

    // ---- flushing ----

    void batchStart() { inBatch = true; }

    void batchEnd() {
        inBatch = false;
        if (flushNeeded) flush();
    }

    /**
     * A stream's pieces: inside a read batch as {@link #flushSoon}; otherwise one queued flush
     * task takes every piece that lands before it runs, so a stream written in many small pieces
     * (or an event fanned out to thousands of streams) leaves in few writes.
     */
    private void flushLater() {
        if (inBatch) {
            flushNeeded = true;
        } else if (!flushScheduled) {
            flushScheduled = true;
            post(() -> {
                flushScheduled = false;
                flush();
            });
        }
    }

    /**
     * Inside a read batch the flush waits for the batch's end (pipelined replies leave together).
     * Outside one (a reply from a task) it happens now: a publish that answers a thousand parked
     * requests in one task would otherwise hold a thousand pooled buffers until a thousand queued
     * flushes ran, and empty the pool into fresh allocations.
     */
    private void flushSoon() {
        if (inBatch) flushNeeded = true;
        else flush();
    }

    private void flush() {
        flushNeeded = false;
        if (connection.isOpen()) connection.flush();
    }

    // ---- the reply deadline ----

    /**
     * Watches what we wait for from the application (re-armed, never reallocated): the first
     * exchange that has no reply yet, from its own start; or the stream being written, from one
     * piece to the next. A stream's pieces are counted, not timed, so a busy stream costs no
     * clock read per piece: the deadline fires once per period and looks whether any came.
     */
    void armReplyTimer() {
        HttpExchange first = inFlight.peekFirst();
        HttpExchange want = streaming != null ? streaming
                : first != null && first.replyState() == HttpExchange.Reply.Flat.AWAITING ? first : null;
        if (want == replyWatched && (want == null || (want == streaming) == watchingStream)) return;
        replyWatched = want;
        watchingStream = want != null && want == streaming;
        if (want == null) {
            if (replyTimer != null) replyTimer.cancel();
            return;
        }
        long period = core.timeouts().reply().toNanos();
        long due = want == streaming ? period : want.replyDue(want.startNanos() + period) - connection.loop().nanoTime();
        piecesSeen = pieces;
        if (replyTimer == null) replyTimer = connection.loop().newTimer(this::onReplyDeadline);
        replyTimer.schedule(Math.max(due, 0), TimeUnit.NANOSECONDS);
    }

    @Override public void replyDeadlineChanged(HttpExchange exchange) {
        if (exchange != replyWatched) return;                     // armed when it comes first in line
        replyWatched = null;
        armReplyTimer();
    }

    @Override public java.util.Optional<dev.weft.loop.spi.TcpInfo> tcpInfo() { return connection.tcpInfo(); }

    /** True when the connection waits on the application with a deadline armed. */
    boolean awaitsApplication() { return replyTimer != null && replyTimer.isPending(); }

    private void onReplyDeadline() {
        HttpExchange ex = replyWatched;
        replyWatched = null;
        if (ex != null && ex == streaming) {
            streamDeadline(ex);
            return;
        }
        if (ex == null || ex.replyState() != HttpExchange.Reply.Flat.AWAITING) return;
        if (ex.ownDeadlinePassed(connection.loop().nanoTime(), core.timeouts().reply().toNanos())) {
            armReplyTimer();                                      // the server's period, from now
            return;
        }
        loop.stats.deadline(Deadline.REPLY);
        ex.cancel(new java.util.concurrent.TimeoutException("no reply within " + core.timeouts().reply()),
                Response.text(Status.SERVICE_UNAVAILABLE, "no reply in time\n"));
        writeReady();
    }

    /** A stream's period ended: another one if it wrote, else it has stalled and is aborted. */
    private void streamDeadline(HttpExchange ex) {
        if (pieces != piecesSeen) {
            armReplyTimer();
            return;
        }
        loop.stats.deadline(Deadline.REPLY);
        Server.LOG.debug(() -> "aborting " + ex.req() + ": its stream wrote nothing for " + core.timeouts().reply());
        ex.cancel(new java.util.concurrent.TimeoutException("the stream wrote nothing for " + core.timeouts().reply()));
        connection.abort();
    }
}
