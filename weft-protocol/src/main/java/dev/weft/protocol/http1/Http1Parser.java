package dev.weft.protocol.http1;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.http1.Http1Event.Body;
import dev.weft.protocol.http1.Http1Event.EndOfMessage;
import dev.weft.protocol.http1.Http1Event.RequestHead;
import dev.weft.protocol.http1.Http1Event.ResponseHead;
import dev.weft.protocol.http1.Http1Event.Signal;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The sans-IO HTTP/1.1 parser (RFC 9112), both roles: a server parses requests, a client
 * responses. Bytes in through {@link #feed}, events out of {@link #next()} (ARCHITECTURE.md convention 1).
 *
 * <h2>Theory of operation</h2>
 * <ol>
 *   <li>{@code HEAD}: lines are cut by {@link HeadLines} and parsed by {@link HeadParser}. When a
 *       whole head sits in a heap buffer it is parsed in place, in one pass per line, straight
 *       from {@code array()}; a direct buffer is bulk-copied, a few KiB at a time, into a staging
 *       array first. A line cut by the end of the input is kept in a scratch array bounded by the
 *       limits, so every fed byte is consumed before NEED_MORE.</li>
 *   <li>The head event is returned; its framing was decided once (RFC 9112 §6.3).
 *       {@link #bodyLimit} may change the body budget now ({@code BODY_START}).</li>
 *   <li>The body ({@code FIXED}, {@code CHUNKED} then {@code TRAILERS}, {@code UNTIL_CLOSE}):
 *       each {@link Body} is a read-only slice of the fed buffer, never a copy.</li>
 *   <li>{@code END}: {@link EndOfMessage}, then the next state: the next head, {@code PAUSED}
 *       (CONNECT, Upgrade, 101, a 2xx to CONNECT) or {@code CLOSED} (not keep-alive).</li>
 * </ol>
 * The state lives in an enum plus plain fields (the bytes left, the chunk decoder) rather than in
 * records per state, so a keep-alive connection's parser allocates nothing per message beyond
 * what its events carry.
 *
 * <h2>Line endings: CRLF only</h2>
 * RFC 9112 §2.2 lets a recipient accept a bare LF as a line terminator. We do not: a bare LF
 * is BARE_LF (400), and a CR not followed by LF anywhere in a head or in chunk framing is
 * BARE_CR. A parser that disagrees with the proxy in front of it about where a line ends is a
 * request-smuggling vector, and every real client sends CRLF. Likewise obs-fold is rejected
 * (§5.2), not unfolded.
 *
 * <h2>Errors</h2>
 * A peer's fault is a {@link PeerViolation}; once thrown, every later {@link #next()} rethrows
 * the same instance, and {@link #feed}/{@link #feedEnd} are ignored. A caller's fault is a
 * {@link UsageViolation}. Nothing else escapes: no index, number-format or state exceptions.
 *
 * <p>Not thread-safe: a parser belongs to its connection's loop (ARCHITECTURE.md rule 1).
 */
public final class Http1Parser {
    private static final int MAX_OUTSTANDING = 64;
    /** How much of a direct buffer is copied at once to be scanned: a typical head and then some. */
    private static final int STAGE = 4096;
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private enum State { HEAD, BODY_START, FIXED, CHUNKED, TRAILERS, UNTIL_CLOSE, END, PAUSED, CLOSED, FAILED }

    private final Role role;
    private final Http1Limits limits;
    private final HeadLines lines = new HeadLines();
    private final HeadParser head;
    private final ChunkedDecoder chunks;

    private State state = State.HEAD;
    private PeerViolation failure;

    // The input. win[i + winOff] is the buffer's byte i, for i below winEnd - winOff.
    private ByteBuffer in = NOTHING;
    private boolean drained = true;     // in had nothing left when next() last returned
    private boolean eof;
    private ByteBuffer readOnly;        // the read-only view Body slices come from, made once per feed
    private boolean heap;
    private byte[] win;
    private int winOff;
    private int winEnd;
    private final Scratch scratch;
    private int stageFrom;
    private int stageTo;

    // The message being read.
    private BodyFraming framing = BodyFraming.EMPTY;
    private long remaining;
    private long bodyBytes;
    private long bodyLimit;
    private boolean keepAlive = true;
    private boolean pauseAfter;
    private Headers trailers = Headers.empty();

    // Client role: methods of the requests sent and not yet answered, oldest first. Empty in the
    // server role, where a parser lives with every idle connection and each byte of it counts.
    private final Method[] sent;
    private int sentFirst;
    private int sentCount;

    /**
     * Where a parser copies a direct buffer's bytes to scan them: 4 KiB that the parsers one
     * thread drives can share (one per event loop), so an idle connection's parser holds none.
     * The copy is only a cache of the fed buffer, whose position stays the truth: a parser that
     * finds its bytes displaced by another parser's simply copies them again. Not thread-safe.
     */
    public static final class Scratch {
        private byte[] bytes;               // made on first use: heap buffers never need it
        private Http1Parser owner;
    }

    /** A parser with a scratch of its own; see {@link Scratch} for sharing one. */
    public Http1Parser(Role role, Http1Limits limits) {
        this(role, limits, new Scratch());
    }

    /** A parser that stages direct buffers in {@code scratch}, shared with other parsers of this thread. */
    public Http1Parser(Role role, Http1Limits limits, Scratch scratch) {
        this.scratch = Objects.requireNonNull(scratch, "scratch");
        this.role = Objects.requireNonNull(role, "role");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.head = new HeadParser(role, limits);
        this.chunks = new ChunkedDecoder(limits);
        this.sent = new Method[role == Role.CLIENT ? MAX_OUTSTANDING : 0];
    }

    /**
     * Hands the parser the buffer's bytes from position to limit. The parser reads them during
     * {@link #next()}, advancing {@code buffer.position()}. NEED_MORE is returned only once every
     * byte of it is consumed (the parser copies whatever partial head/line state it must keep
     * into its own bounded scratch), so the caller may then reuse the buffer. Bytes the parser
     * does not consume (after PAUSED or CLOSED) stay in the buffer, position at the first of them.
     * Calling feed while the previous buffer still has unconsumed bytes is a UsageViolation, and
     * so is feeding after {@link #feedEnd()}. Heap and direct buffers both work; Body events are
     * views of this buffer, so the caller must not overwrite it while it holds them.
     */
    public void feed(ByteBuffer bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (failure != null) return;
        if (eof) throw new UsageViolation("feed after feedEnd");
        if (bytes != in ? in.hasRemaining() : !drained) {
            throw new UsageViolation("feed while the previous buffer still has unconsumed bytes");
        }
        in = bytes;
        drained = !bytes.hasRemaining();
        readOnly = null;
        heap = bytes.hasArray();
        if (heap) {
            win = bytes.array();
            winOff = bytes.arrayOffset();
            winEnd = bytes.limit() + winOff;
        } else {
            stageFrom = stageTo = -1;
        }
    }

    /**
     * True between messages with nothing held: no byte of a next head taken, no bytes unparsed,
     * no failure, no EOF, no response awaited. A parser at rest is as good as a new one, so a
     * server can lend it to another connection while this one idles (ARCHITECTURE.md rule 3).
     */
    public boolean isAtRest() {
        return state == State.HEAD && failure == null && !eof && !in.hasRemaining() && sentCount == 0
                && !lines.pending() && head.untouched();
    }

    /**
     * The peer closed its sending side (EOF). Once the bytes already fed are parsed, this ends an
     * UntilClose body (EndOfMessage), turns a clean message boundary into CLOSED, and anything
     * mid-message into PeerViolation(INCOMPLETE_MESSAGE). Calling it again changes nothing.
     */
    public void feedEnd() { eof = true; }

    /**
     * One event or signal: a head, a piece of body, the end of a message, or NEED_MORE, PAUSED,
     * CLOSED. A Body's bytes are valid until the next call to next() or feed().
     *
     * @throws PeerViolation when the peer broke HTTP/1.1; every later call rethrows the same one
     */
    public Http1Event next() {
        if (failure != null) throw failure;
        try {
            Http1Event event = step();
            drained = !in.hasRemaining();
            return event;
        } catch (PeerViolation v) {
            failure = v;
            state = State.FAILED;
            throw v;
        }
    }

    /**
     * Client role: the method of the next request sent on this connection, in order (pipelining:
     * a bounded FIFO of 64; overflow is a UsageViolation). A response with none outstanding is
     * PeerViolation(UNEXPECTED_RESPONSE). HEAD and CONNECT change response framing.
     */
    public void requestSent(Method method) {
        Objects.requireNonNull(method, "method");
        if (role != Role.CLIENT) throw new UsageViolation("requestSent is for the client role");
        if (sentCount == MAX_OUTSTANDING) throw new UsageViolation("more than " + MAX_OUTSTANDING + " requests outstanding");
        sent[(sentFirst + sentCount++) % MAX_OUTSTANDING] = method;
    }

    /**
     * After PAUSED: go on parsing HTTP/1.1 (e.g. the server refused an Upgrade), with the bytes
     * still in the buffer. If the paused message was not keep-alive, next() says CLOSED.
     * UsageViolation unless PAUSED.
     */
    public void resume() {
        if (state != State.PAUSED) throw new UsageViolation("resume() when not PAUSED but " + state);
        state = keepAlive ? State.HEAD : State.CLOSED;
    }

    /**
     * Between a head and its first body event: raise or lower this message's body limit (a
     * streaming handler allows more than {@link Http1Limits#maxBodyBytes()}). A Content-Length
     * above the limit in force fails on the first next() after the head with BODY_TOO_LARGE;
     * chunked and until-close bodies fail when the running total passes it. UsageViolation at
     * any other time, or for a negative limit.
     */
    public void bodyLimit(long maxBytes) {
        if (state != State.BODY_START) throw new UsageViolation("bodyLimit() belongs between a head and its body");
        if (maxBytes < 0) throw new UsageViolation("negative body limit: " + maxBytes);
        bodyLimit = maxBytes;
    }

    private Http1Event step() {
        return switch (state) {
            case HEAD -> readHead();
            case BODY_START -> startBody();
            case FIXED -> fixedBody();
            case CHUNKED -> chunkedBody();
            case TRAILERS -> readTrailers();
            case UNTIL_CLOSE -> untilCloseBody();
            case END -> endOfMessage();
            case PAUSED -> Signal.PAUSED;
            case CLOSED -> Signal.CLOSED;
            case FAILED -> throw failure;
        };
    }

    // ---- heads ----

    private Http1Event readHead() {
        if (role == Role.CLIENT && sentCount == 0 && in.hasRemaining()) {
            throw new PeerViolation(Violation.UNEXPECTED_RESPONSE, "response bytes with no request outstanding");
        }
        return readLines() ? headEvent() : starved();
    }

    /**
     * Feeds the head parser until its section ends (true) or the input does (false): clean field
     * lines in place through its fast path, any other line whole through HeadLines.
     */
    private boolean readLines() {
        while (in.hasRemaining()) {
            window();
            int p = in.position();
            int from = p + winOff;
            if (!lines.pending()) {
                int next = head.fieldLines(win, from, winEnd);
                if (next != from) {
                    in.position(p + (next - from));
                    if (head.done()) return true;
                    continue;
                }
            }
            int used = lines.scan(win, from, winEnd, head.window(), head.tooLong());
            in.position(p + used);
            if (lines.complete() && head.line(lines.array(), lines.from(), lines.lf())) return true;
        }
        return false;
    }

    private Http1Event headEvent() {
        bodyLimit = limits.maxBodyBytes();
        bodyBytes = 0;
        Http1Event event = role == Role.SERVER ? requestHead() : responseHead();
        head.beginHead();
        state = State.BODY_START;
        return event;
    }

    private RequestHead requestHead() {
        RequestHead h = head.request();
        framing = h.framing();
        keepAlive = h.keepAlive();
        pauseAfter = h.method() == Method.CONNECT || h.upgrade();
        return h;
    }

    /** A 1xx other than 101 is interim: the same request still awaits its final response. */
    private ResponseHead responseHead() {
        Method m = sent[sentFirst];
        ResponseHead h = head.response(m);
        int code = h.status().code();
        boolean interim = code < 200 && code != 101;
        if (!interim) {
            sent[sentFirst] = null;
            sentFirst = (sentFirst + 1) % MAX_OUTSTANDING;
            sentCount--;
        }
        framing = h.framing();
        keepAlive = interim || h.keepAlive();
        pauseAfter = code == 101 || (m == Method.CONNECT && code >= 200 && code < 300);
        return h;
    }

    // ---- bodies ----

    private Http1Event startBody() {
        state = switch (framing) {
            case BodyFraming.Fixed(long n) -> fixed(n);
            case BodyFraming.Chunked _ -> {
                chunks.reset(bodyLimit);
                yield State.CHUNKED;
            }
            case BodyFraming.UntilClose _ -> State.UNTIL_CLOSE;
            case BodyFraming.Empty _ -> State.END;
        };
        return step();
    }

    private State fixed(long length) {
        if (length > bodyLimit) {
            throw new PeerViolation(Violation.BODY_TOO_LARGE, "Content-Length " + length + " above " + bodyLimit);
        }
        remaining = length;
        return length == 0 ? State.END : State.FIXED;
    }

    private Http1Event fixedBody() {
        int n = (int) Math.min(remaining, in.remaining());
        if (n == 0) return starved();
        remaining -= n;
        if (remaining == 0) state = State.END;
        return body(n);
    }

    private Http1Event untilCloseBody() {
        int n = in.remaining();
        if (n == 0) return starved();
        bodyBytes += n;
        if (bodyBytes > bodyLimit) throw new PeerViolation(Violation.BODY_TOO_LARGE, "body beyond " + bodyLimit + " bytes");
        return body(n);
    }

    private Http1Event chunkedBody() {
        for (;;) {
            if (chunks.inData()) {
                int n = (int) Math.min(chunks.dataLeft(), in.remaining());
                if (n == 0) return starved();
                chunks.consumeData(n);
                return body(n);
            }
            if (chunks.atTrailers()) {
                head.beginTrailers();
                state = State.TRAILERS;
                return readTrailers();
            }
            if (!in.hasRemaining()) return starved();
            window();
            int p = in.position();
            int used = chunks.framing(win, p + winOff, winEnd) - (p + winOff);
            in.position(p + used);
        }
    }

    private Http1Event readTrailers() {
        if (!readLines()) return starved();
        trailers = head.trailerFields();
        head.beginHead();
        state = State.END;
        return endOfMessage();
    }

    private Body body(int n) {
        if (readOnly == null) readOnly = in.asReadOnlyBuffer();
        int p = in.position();
        in.position(p + n);
        return new Body(readOnly.slice(p, n));
    }

    private Http1Event endOfMessage() {
        EndOfMessage end = trailers.isEmpty() ? EndOfMessage.NO_TRAILERS : new EndOfMessage(trailers);
        trailers = Headers.empty();
        state = pauseAfter ? State.PAUSED : keepAlive ? State.HEAD : State.CLOSED;
        return end;
    }

    // ---- input ----

    /** The input is used up: wait for more, or, after feedEnd, end as the state allows. */
    private Http1Event starved() {
        if (!eof) return Signal.NEED_MORE;
        if (state == State.UNTIL_CLOSE) return endOfMessage();      // RFC 9112 §6.3 ¶8
        if (state == State.HEAD && !head.started() && !lines.pending()) {
            state = State.CLOSED;
            return Signal.CLOSED;
        }
        throw new PeerViolation(Violation.INCOMPLETE_MESSAGE, "the peer closed in the middle of a message");
    }

    /** Makes win[in.position() + winOff] readable: heap arrays as they are, direct buffers staged. */
    private void window() {
        if (heap) return;
        int p = in.position();
        if (scratch.owner == this && p >= stageFrom && p < stageTo) return;
        int n = Math.min(in.remaining(), STAGE);
        if (scratch.bytes == null) scratch.bytes = new byte[STAGE];
        in.get(p, scratch.bytes, 0, n);
        scratch.owner = this;
        stageFrom = p;
        stageTo = p + n;
        win = scratch.bytes;
        winOff = -p;
        winEnd = n;
    }
}
