package dev.weft.protocol.sse;

import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.internal.Ascii;
import dev.weft.protocol.sse.SseEvent.Comment;
import dev.weft.protocol.sse.SseEvent.Message;
import dev.weft.protocol.sse.SseEvent.Retry;
import dev.weft.protocol.sse.SseEvent.Signal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads an event stream ({@code text/event-stream}, WHATWG HTML §9.2.5 and §9.2.6), the body of
 * a response, for a client: bytes in through {@link #feed}, events out of {@link #next()}, in
 * the same shape as the HTTP/1.1 parser.
 *
 * <h2>Theory of operation</h2>
 * <ol>
 *   <li>Lines. The input is cut at CRLF, LF or CR. A line that ends in CR is read at once, and an
 *       LF right after it, in this read or the next, is taken as the rest of that line end, not
 *       as a blank line. A line whole in a heap buffer is read in place; any other is gathered
 *       into a line buffer, charged against {@link SseLimits#maxLineBytes()} as it grows.</li>
 *   <li>The stream is UTF-8. One byte order mark opening the first line is dropped. Line ends
 *       are ASCII and never part of a multi-byte sequence, so each value is decoded by itself,
 *       malformed bytes becoming U+FFFD as the spec's UTF-8 decode has them.</li>
 *   <li>Each line (§9.2.6): blank, it dispatches the message; opening with a colon, it is a
 *       {@link Comment}; otherwise it is a field, named by what comes before the first colon (or
 *       by the whole line), its value being the rest with one leading space removed. Names are
 *       compared byte for byte, case included: {@code data} appends the value and an LF to the
 *       data buffer (charged against {@link SseLimits#maxEventBytes()}); {@code event} sets the
 *       type; {@code id} sets the last event ID unless the value has a NUL; {@code retry} of
 *       ASCII digits only, at least one, is a {@link Retry}. Anything else is ignored.</li>
 *   <li>Dispatch: with an empty data buffer nothing is returned and the type is forgotten.
 *       Otherwise one trailing LF is removed and a {@link Message} returned with the type
 *       ({@value Message#DEFAULT_TYPE} if none) and the last event ID, which is kept for the
 *       messages after it; data and type start again empty.</li>
 *   <li>The end ({@link #feedEnd()}): a line with no line end yet, and a message not yet
 *       dispatched, are dropped (§9.2.6: the end of the stream does not dispatch), then
 *       {@link Signal#CLOSED}.</li>
 * </ol>
 * A line gives at most one event, so nothing is queued: {@link #next()} reads lines until one
 * gives an event or the input runs out. Idle costs no buffers: a line or data buffer grown past
 * 4 KiB is let go once its line or message is done.
 *
 * <h2>Errors</h2>
 * Every byte sequence is a valid stream, so the only peer violations are the two limits,
 * {@link Violation#SSE_LINE_TOO_LONG} and {@link Violation#SSE_EVENT_TOO_LARGE}. Once one is
 * thrown, every later {@link #next()} rethrows it and {@link #feed}/{@link #feedEnd} are ignored.
 * A caller's mistake is a {@link UsageViolation}. Nothing else escapes.
 *
 * <p>Not thread-safe: a decoder belongs to its connection's loop.
 */
public final class SseDecoder {
    /** Buffers larger than this are dropped after use, so an idle stream holds none of size. */
    private static final int KEEP = 4096;
    private static final int FIRST_SIZE = 256;
    private static final byte[] NONE = new byte[0];
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

    private final SseLimits limits;

    private ByteBuffer in = NOTHING;
    private boolean drained = true;     // in had nothing left when next() last returned
    private boolean eof;
    private PeerViolation failure;

    private boolean afterCr;            // the last line ended in CR: an LF now belongs to that line end
    private boolean firstLine = true;   // only it may open with a byte order mark
    private byte[] line = NONE;         // a line cut by the end of a read, or fed in a direct buffer
    private int lineLength;
    private byte[] data = NONE;         // the data buffer (§9.2.6), as UTF-8
    private int dataLength;
    private String type = "";           // the event type buffer
    private String lastEventId;         // the last event ID buffer

    /** A decoder for a new stream: the last event ID starts empty, as §9.2.6 has it. */
    public SseDecoder(SseLimits limits) { this(limits, ""); }

    /**
     * A decoder whose last event ID starts at {@code lastEventId}: a client that reconnects with
     * {@code Last-Event-ID} can start the new stream where it left off, so that messages before
     * the next {@code id} field report the ID it resumed from rather than the empty string.
     */
    public SseDecoder(SseLimits limits, String lastEventId) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.lastEventId = Objects.requireNonNull(lastEventId, "lastEventId");
    }

    /**
     * Hands the decoder the buffer's bytes from position to limit; {@link #next()} reads them,
     * advancing the position, and says NEED_MORE only once all are consumed, after which the
     * caller may reuse the buffer (the decoder keeps what it needs of a cut line). Feeding while
     * the previous buffer still has bytes, or after {@link #feedEnd()}, is a UsageViolation.
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
    }

    /** The stream ended: once the bytes fed are read, {@link #next()} says CLOSED. Idempotent. */
    public void feedEnd() { eof = true; }

    /**
     * The next message, retry or comment, or NEED_MORE, or CLOSED after {@link #feedEnd()}.
     *
     * @throws PeerViolation when the stream overran a limit; every later call rethrows the same one
     */
    public SseEvent next() {
        if (failure != null) throw failure;
        try {
            SseEvent event = step();
            drained = !in.hasRemaining();
            return event;
        } catch (PeerViolation v) {
            failure = v;
            throw v;
        }
    }

    /** The last event ID buffer: what a reconnecting client sends as {@code Last-Event-ID}. */
    public String lastEventId() { return lastEventId; }

    private SseEvent step() {
        while (in.hasRemaining()) {
            SseEvent event = readLine();
            if (event != null) return event;
        }
        if (!eof) return Signal.NEED_MORE;
        lineLength = 0;
        dataLength = 0;
        type = "";
        return Signal.CLOSED;
    }

    // ---- lines ----

    /** Reads up to one line end; returns the event that line gives, or null. */
    private SseEvent readLine() {
        int p = in.position();
        int end = in.limit();
        if (afterCr) {
            afterCr = false;
            if (in.get(p) == '\n') {
                in.position(++p);
                if (p == end) return null;
            }
        }
        int t = lineEnd(p, end);
        if (t < 0) {
            gather(p, end);
            in.position(end);
            return null;
        }
        afterCr = in.get(t) == '\r';
        in.position(t + 1);
        if (lineLength == 0 && in.hasArray()) {
            if (t - p > limits.maxLineBytes()) throw lineTooLong(t - p);
            int base = in.arrayOffset();
            return line(in.array(), base + p, base + t);
        }
        gather(p, t);
        SseEvent event = line(line, 0, lineLength);
        lineLength = 0;
        if (line.length > KEEP) line = NONE;
        return event;
    }

    /** The index of the first CR or LF in {@code [from, to)}, or -1. */
    private int lineEnd(int from, int to) {
        if (in.hasArray()) {
            byte[] a = in.array();
            int base = in.arrayOffset();
            for (int i = from; i < to; i++) {
                byte b = a[base + i];
                if (b == '\n' || b == '\r') return i;
            }
            return -1;
        }
        for (int i = from; i < to; i++) {
            byte b = in.get(i);
            if (b == '\n' || b == '\r') return i;
        }
        return -1;
    }

    /** Appends input bytes {@code [from, to)} to the line buffer, within the line limit. */
    private void gather(int from, int to) {
        int n = to - from;
        if (n == 0) return;
        int need = lineLength + n;
        if (need > limits.maxLineBytes()) throw lineTooLong(need);
        if (need > line.length) line = Arrays.copyOf(line, grow(line.length, need, limits.maxLineBytes()));
        in.get(from, line, lineLength, n);
        lineLength = need;
    }

    /** One line, without its line end, at {@code b[from, to)} (§9.2.6). */
    private SseEvent line(byte[] b, int from, int to) {
        if (firstLine) {
            firstLine = false;
            if (to - from >= 3 && b[from] == (byte) 0xEF && b[from + 1] == (byte) 0xBB && b[from + 2] == (byte) 0xBF) {
                from += 3;
            }
        }
        if (from == to) return dispatch();
        if (b[from] == ':') return comment(b, from + 1, to);
        int colon = from;
        while (colon < to && b[colon] != ':') colon++;
        int value = colon == to ? to : colon + 1;
        if (value < to && b[value] == ' ') value++;
        return field(b, from, colon, value, to);
    }

    private SseEvent comment(byte[] b, int from, int to) {
        if (from < to && b[from] == ' ') from++;
        return from == to ? Comment.EMPTY : new Comment(utf8(b, from, to));
    }

    /** The field named {@code b[name, nameEnd)} with the value {@code b[value, to)}. */
    private SseEvent field(byte[] b, int name, int nameEnd, int value, int to) {
        switch (nameEnd - name) {
            case 4 -> {
                if (Ascii.regionEquals(b, name, "data")) appendData(b, value, to);
            }
            case 5 -> {
                if (Ascii.regionEquals(b, name, "event")) type = utf8(b, value, to);
                else if (Ascii.regionEquals(b, name, "retry")) return retry(b, value, to);
            }
            case 2 -> {
                if (Ascii.regionEquals(b, name, "id") && !hasNul(b, value, to)) lastEventId = utf8(b, value, to);
            }
            default -> { }
        }
        return null;
    }

    private void appendData(byte[] b, int from, int to) {
        int n = to - from;
        long need = (long) dataLength + n + 1;
        if (need > limits.maxEventBytes()) {
            throw new PeerViolation(Violation.SSE_EVENT_TOO_LARGE,
                "message data of " + need + " bytes so far, above " + limits.maxEventBytes());
        }
        if (need > data.length) data = Arrays.copyOf(data, grow(data.length, (int) need, limits.maxEventBytes()));
        System.arraycopy(b, from, data, dataLength, n);
        data[dataLength + n] = '\n';
        dataLength = (int) need;
    }

    /** A value of ASCII digits only, at least one; larger than a long, it saturates. */
    private static SseEvent retry(byte[] b, int from, int to) {
        if (from == to) return null;
        long millis = 0;
        for (int i = from; i < to; i++) {
            if (!Ascii.isDigit(b[i])) return null;
            int digit = b[i] - '0';
            millis = millis > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : millis * 10 + digit;
        }
        return new Retry(millis);
    }

    /** §9.2.6 "dispatch the event", for a user agent that is not a browser. */
    private SseEvent dispatch() {
        if (dataLength == 0) {
            type = "";
            return null;
        }
        String text = utf8(data, 0, dataLength - 1);
        String eventType = type.isEmpty() ? Message.DEFAULT_TYPE : type;
        dataLength = 0;
        type = "";
        if (data.length > KEEP) data = NONE;
        return new Message(eventType, text, lastEventId);
    }

    // ---- helpers ----

    private PeerViolation lineTooLong(int bytes) {
        return new PeerViolation(Violation.SSE_LINE_TOO_LONG,
            "a line of " + bytes + " bytes so far, above " + limits.maxLineBytes());
    }

    /** Doubles from a small start, never past the limit, at least to {@code need}. */
    private static int grow(int size, int need, int limit) {
        long doubled = Math.max(FIRST_SIZE, 2L * size);
        return (int) Math.max(need, Math.min(doubled, limit));
    }

    private static boolean hasNul(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == 0) return true;
        }
        return false;
    }

    private static String utf8(byte[] b, int from, int to) {
        return from == to ? "" : new String(b, from, to - from, StandardCharsets.UTF_8);
    }
}
