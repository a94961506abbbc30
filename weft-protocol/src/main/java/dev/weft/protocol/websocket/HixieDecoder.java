package dev.weft.protocol.websocket;

import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.websocket.WebSocketEvent.Close;
import dev.weft.protocol.websocket.WebSocketEvent.Data;
import dev.weft.protocol.websocket.WebSocketEvent.MessageEnd;
import dev.weft.protocol.websocket.WebSocketEvent.MessageStart;
import dev.weft.protocol.websocket.WebSocketEvent.Signal;

import java.nio.ByteBuffer;
import java.util.Objects;

import static dev.weft.protocol.websocket.WebSocketViolation.*;

/**
 * Reads the legacy framing of draft-hixie-thewebsocketprotocol-75 and -76 (the latter is also
 * hybi-00), spoken only after a legacy handshake that {@link ServerHandshake} accepts when asked
 * to; see there for why that is off by default.
 *
 * <h2>Theory of operation (draft-hixie-76 §5.3)</h2>
 * <ol>
 *   <li>{@code TYPE}: a frame-type byte.</li>
 *   <li>Type 0x00 is a text frame: UTF-8 up to a 0xFF sentinel ({@code TEXT}). It is lent out
 *       piece by piece as views of the fed buffer, checked as it arrives, as one message:
 *       {@link MessageStart}, {@link Data}, {@link MessageEnd}. Other types with the high bit clear
 *       are read to their 0xFF too and discarded ({@code SKIP_TO_SENTINEL}).</li>
 *   <li>Types with the high bit set carry a length, seven bits per byte, high bit meaning "more"
 *       ({@code LENGTH}). 0xFF with length 0 is the closing handshake (hixie-76 §5.3; a hixie-75
 *       peer never sends it): {@link Close} with {@link CloseCodes#NO_STATUS_RECEIVED}. Any other
 *       such frame is discarded ({@code SKIP}).</li>
 * </ol>
 * Discarded frames and text frames alike count against {@link WebSocketLimits#maxFrameBytes()}
 * and a text frame, being a whole message, against the message limit too. The framing has no close
 * codes, so a violation's code only tells the log why the connection was closed.
 *
 * <p>Nothing is unmasked (the legacy framing has no masking) and the fed buffer is never written.
 * Not thread-safe: a decoder belongs to its connection's loop.
 */
public final class HixieDecoder implements WebSocketDecoder {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    private static final byte SENTINEL = (byte) 0xFF;

    private enum State { TYPE, TEXT, SKIP_TO_SENTINEL, LENGTH, SKIP, CLOSED, ENDED, FAILED }

    private final WebSocketLimits limits;
    private final Utf8Validator utf8 = new Utf8Validator();
    private State state = State.TYPE;
    private WebSocketPeerViolation failure;
    private ByteBuffer in = NOTHING;
    private boolean drained = true;
    private boolean eof;
    private ByteBuffer view;
    private Data data;
    private int type;
    private long count;                 // bytes of the current frame so far, or (LENGTH, SKIP) its length

    public HixieDecoder(WebSocketLimits limits) { this.limits = Objects.requireNonNull(limits, "limits"); }

    @Override public void feed(ByteBuffer bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (failure != null) return;
        if (eof) throw new UsageViolation("feed after feedEnd");
        // Judged by what next() last saw, never by looking at the old buffer again: a pooled
        // buffer may serve another connection by now, with bytes of its own.
        if (!drained) throw new UsageViolation("feed while the previous buffer still has unconsumed bytes");
        if (bytes != in) {
            in = bytes;
            view = null;
        }
        drained = !bytes.hasRemaining();
    }

    @Override public void feedEnd() { eof = true; }

    @Override public WebSocketEvent next() {
        if (failure != null) throw failure;
        try {
            WebSocketEvent event = step();
            drained = !in.hasRemaining();
            return event;
        } catch (WebSocketPeerViolation v) {
            failure = v;
            state = State.FAILED;
            throw v;
        }
    }

    private WebSocketEvent step() {
        for (;;) {
            WebSocketEvent event = switch (state) {
                case TYPE -> type();
                case TEXT -> text();
                case SKIP_TO_SENTINEL -> skipToSentinel();
                case LENGTH -> length();
                case SKIP -> skip();
                case CLOSED -> Signal.CLOSED;
                case ENDED -> Signal.END_WITHOUT_CLOSE;
                case FAILED -> throw failure;
            };
            if (event != null) return event;
        }
    }

    private WebSocketEvent type() {
        if (!in.hasRemaining()) return starved();
        type = in.get() & 0xFF;
        count = 0;
        if (type == 0x00) {
            utf8.reset();
            state = State.TEXT;
            return MessageStart.TEXT;
        }
        state = (type & 0x80) != 0 ? State.LENGTH : State.SKIP_TO_SENTINEL;
        return null;
    }

    /**
     * Lends the text up to the sentinel or the end of the input, whichever comes first. Bytes
     * within the limits are checked first, so however the input is split, the first bad byte
     * decides whether the frame fails as invalid UTF-8 or as too large.
     */
    private WebSocketEvent text() {
        if (!in.hasRemaining()) return starved();
        int p = in.position();
        int end = sentinelOrLimit(p);
        if (end == p) {
            in.position(p + 1);                                         // the sentinel
            if (!utf8.isComplete()) throw peer(INVALID_UTF8, "text frame ends inside a character");
            state = State.TYPE;
            return MessageEnd.END;
        }
        int allowed = (int) Math.min(end - p, budget(true));
        if (utf8.check(in, p, p + allowed) >= 0) throw peer(INVALID_UTF8, "invalid UTF-8 in a text frame");
        if (allowed < end - p) throw tooLarge(true);
        count += end - p;
        in.position(end);
        if (view == null) {
            view = in.asReadOnlyBuffer();
            data = new Data(view);
        }
        view.limit(end).position(p);
        return data;
    }

    private WebSocketEvent skipToSentinel() {
        if (!in.hasRemaining()) return starved();
        int p = in.position();
        int end = sentinelOrLimit(p);
        if (end - p > budget(false)) throw tooLarge(false);
        count += end - p;
        if (end < in.limit()) {
            in.position(end + 1);
            state = State.TYPE;
        } else {
            in.position(end);
        }
        return null;
    }

    /** A length of 7-bit groups, most significant first (hixie-76 §5.3 step "length"). */
    private WebSocketEvent length() {
        while (in.hasRemaining()) {
            byte b = in.get();
            if (count > limits.maxFrameBytes() >>> 7) throw tooLarge(false);      // before the shift can overflow
            count = count << 7 | (b & 0x7F);
            if (b < 0) continue;
            if (count > limits.maxFrameBytes()) throw tooLarge(false);
            if (type == 0xFF && count == 0) {
                state = State.CLOSED;
                return new Close(CloseCodes.NO_STATUS_RECEIVED, "");
            }
            state = State.SKIP;
            return null;
        }
        return starved();
    }

    private WebSocketEvent skip() {
        if (count == 0) {
            state = State.TYPE;
            return null;
        }
        if (!in.hasRemaining()) return starved();
        int n = (int) Math.min(count, in.remaining());
        in.position(in.position() + n);
        count -= n;
        return null;
    }

    private int sentinelOrLimit(int from) {
        int limit = in.limit();
        for (int i = from; i < limit; i++) {
            if (in.get(i) == SENTINEL) return i;
        }
        return limit;
    }

    /** How many more bytes the current frame may hold: a text frame is a message too. */
    private long budget(boolean message) {
        long max = message ? Math.min(limits.maxFrameBytes(), limits.maxMessageBytes()) : limits.maxFrameBytes();
        return max - count;
    }

    private WebSocketPeerViolation tooLarge(boolean message) {
        return message && limits.maxMessageBytes() < limits.maxFrameBytes()
            ? peer(MESSAGE_TOO_LARGE, "message beyond " + limits.maxMessageBytes() + " bytes")
            : peer(FRAME_TOO_LARGE, "frame beyond " + limits.maxFrameBytes() + " bytes");
    }

    private WebSocketEvent starved() {
        if (!eof) return Signal.NEED_MORE;
        state = State.ENDED;
        return Signal.END_WITHOUT_CLOSE;
    }

    private static WebSocketPeerViolation peer(WebSocketViolation v, String detail) { return new WebSocketPeerViolation(v, detail); }
}
