package dev.weft.protocol.websocket;

import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.websocket.WebSocketEvent.Close;
import dev.weft.protocol.websocket.WebSocketEvent.Data;
import dev.weft.protocol.websocket.WebSocketEvent.MessageEnd;
import dev.weft.protocol.websocket.WebSocketEvent.MessageStart;
import dev.weft.protocol.websocket.WebSocketEvent.Ping;
import dev.weft.protocol.websocket.WebSocketEvent.Pong;
import dev.weft.protocol.websocket.WebSocketEvent.Signal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import static dev.weft.protocol.websocket.WebSocketViolation.*;

/**
 * The sans-IO reader of WebSocket frames (RFC 6455 §5; the hybi-07 and -08 drafts frame alike),
 * for either role: a server's decoder requires every frame masked, a client's refuses masked ones
 * (§5.1). Bytes in through {@link #feed}, events out of {@link #next()}; see {@link WebSocketDecoder}.
 *
 * <h2>Theory of operation</h2>
 * <ol>
 *   <li>The header, one byte at a time, one enum constant per position and one small method per
 *       state (ARCHITECTURE.md convention 4): {@code OPCODE} (FIN, RSV1-3, opcode), {@code LENGTH}
 *       (MASK, 7-bit length), {@code EXTENDED_LENGTH} (2 or 8 bytes), {@code MASKING_KEY} (4 bytes).
 *       Each rule is checked at the first byte that can break it: a reserved bit, an unknown
 *       opcode, a fragmented control frame or a continuation out of place at byte 0; the mask bit,
 *       a control frame over 125 bytes and a 1-byte Close at byte 1; the top bit of a 64-bit length
 *       at its first byte, and the frame and message limits as soon as the length bytes read so
 *       far prove them exceeded, before any payload is read or buffered.</li>
 *   <li>{@code PAYLOAD_START}: a first data frame yields {@link MessageStart}.</li>
 *   <li>{@code DATA}: the payload of a data frame is unmasked in place and lent out piece by
 *       piece as it arrives, as a view of the fed buffer: nothing is copied or accumulated. Text
 *       is checked by a {@link Utf8Validator} before it is lent, so invalid UTF-8 fails at the
 *       piece that holds the first impossible byte, not at the end of the message.</li>
 *   <li>{@code INFLATE}: in a message compressed with permessage-deflate (RSV1 on its first
 *       frame, RFC 7692 §6), the unmasked payload goes to the {@link PerMessageDeflate}'s
 *       Inflater instead, the tail 0x00 0x00 0xFF 0xFF after the last frame (§7.2.2), and the
 *       inflated bytes are lent and checked in bounded pieces; the message limit applies to them
 *       as they come out.</li>
 *   <li>{@code CONTROL}: a control payload (at most 125 bytes) is gathered into a small array of
 *       the decoder's own, since a Ping must be answered whole; a Close frame's code is checked
 *       once its two bytes are in, and its reason as each byte arrives.</li>
 *   <li>{@code MESSAGE_END} after the last frame of a message; {@code CLOSED} after a Close.</li>
 * </ol>
 * As in the HTTP/1.1 parser, the state is an enum plus plain fields (the frame's length, the
 * mask, the message in progress) rather than a record per state, so that reading frame after
 * frame allocates nothing.
 *
 * <h2>The fed buffer is written to</h2>
 * Masked payload (every frame a server reads) is unmasked in place: the decoder XORs the bytes in
 * the fed buffer, eight at a time, and lends a read-only view of them. The buffer must therefore
 * be writable; a read-only buffer still works, at the cost of a copy into an 8 KiB array of the
 * decoder's own. Pieces of one buffer share one {@link Data} event and one view (see the
 * lifetimes in {@link WebSocketEvent}); feeding the same buffer object again reuses them too, so
 * reading a small masked frame from a pooled read buffer allocates nothing.
 *
 * <p>Not thread-safe: a decoder belongs to its connection's loop (ARCHITECTURE.md rule 1).
 */
public final class FrameDecoder implements WebSocketDecoder {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    private static final int MAX_CONTROL = 125;
    private static final int COPY_CHUNK = 8 << 10;

    private enum State {
        OPCODE, LENGTH, EXTENDED_LENGTH, MASKING_KEY, PAYLOAD_START, DATA, INFLATE, CONTROL, MESSAGE_END, CLOSED, ENDED, FAILED
    }

    private final boolean server;           // reads a client's frames, which must be masked
    private final WebSocketLimits limits;
    private final MessageInflater inflater; // null unless permessage-deflate was negotiated
    private final Utf8Validator text = new Utf8Validator();
    private final Utf8Validator reason = new Utf8Validator();

    private State state = State.OPCODE;
    private WebSocketPeerViolation failure;

    // The input, and the event its pieces are lent through.
    private ByteBuffer in = NOTHING;
    private boolean drained = true;         // in had nothing left when next() last returned
    private boolean eof;
    private ByteBuffer view;                // read-only view of in, made once per buffer object
    private Data data;
    private byte[] copy;                    // read-only input only: where its payload is unmasked
    private ByteBuffer copyView;
    private Data copyData;

    // The frame being read.
    private boolean fin;
    private boolean rsv1;
    private Opcode opcode;
    private int lengthBytesLeft;            // EXTENDED_LENGTH and MASKING_KEY: bytes still to come
    private boolean longLength;             // the 64-bit form
    private long length;
    private int mask;                       // the masking key, first byte highest
    private long payloadRead;

    // The message being read: type null between messages.
    private MessageType message;
    private long messageBytes;              // as received
    private boolean compressed;             // RSV1 on its first frame (RFC 7692 §6)
    private long inflated;
    private boolean tailFed;
    private ByteBuffer inflatedView;        // the inflater's output, and the event lending it
    private Data inflatedData;

    // The control frame being read.
    private byte[] control;                 // made on the first control frame
    private Ping ping;
    private Pong pong;

    private FrameDecoder(boolean server, WebSocketLimits limits, MessageInflater inflater) {
        this.server = server;
        this.limits = Objects.requireNonNull(limits, "limits");
        this.inflater = inflater;
    }

    /** A server's decoder: reads a client's frames, which must all be masked (RFC 6455 §5.1). */
    public static FrameDecoder server(WebSocketLimits limits) { return new FrameDecoder(true, limits, null); }

    /** A server's decoder with permessage-deflate: messages with RSV1 set are inflated (RFC 7692 §6). */
    public static FrameDecoder server(WebSocketLimits limits, PerMessageDeflate deflate) {
        return new FrameDecoder(true, limits, deflate.inflater());
    }

    /** A client's decoder: reads a server's frames, none of which may be masked (RFC 6455 §5.1). */
    public static FrameDecoder client(WebSocketLimits limits) { return new FrameDecoder(false, limits, null); }

    /** A client's decoder with permessage-deflate. */
    public static FrameDecoder client(WebSocketLimits limits, PerMessageDeflate deflate) {
        return new FrameDecoder(false, limits, deflate.inflater());
    }

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

    /** Runs states until one yields an event; a null from a state means "go on". */
    private WebSocketEvent step() {
        for (;;) {
            WebSocketEvent event = switch (state) {
                case OPCODE, LENGTH, EXTENDED_LENGTH, MASKING_KEY -> header();
                case PAYLOAD_START -> payloadStart();
                case DATA -> data();
                case INFLATE -> inflate();
                case CONTROL -> control();
                case MESSAGE_END -> messageEnd();
                case CLOSED -> Signal.CLOSED;
                case ENDED -> Signal.END_WITHOUT_CLOSE;
                case FAILED -> throw failure;
            };
            if (event != null) return event;
        }
    }

    // ---- the header, byte by byte ----

    private WebSocketEvent header() {
        while (state != State.PAYLOAD_START) {
            if (!in.hasRemaining()) return starved();
            byte b = in.get();
            state = switch (state) {
                case OPCODE -> onOpcodeByte(b);
                case LENGTH -> onLengthByte(b);
                case EXTENDED_LENGTH -> onExtendedLengthByte(b);
                case MASKING_KEY -> onMaskingKeyByte(b);
                default -> throw new AssertionError(state);
            };
        }
        return null;
    }

    /** FIN, RSV1-3, opcode (RFC 6455 §5.2), checked against the message in progress (§5.4). */
    private State onOpcodeByte(byte b) {
        fin = (b & 0x80) != 0;
        opcode = Opcode.of(b);
        if (opcode == null) throw peer(UNKNOWN_OPCODE, "reserved opcode 0x" + Integer.toHexString(b & 0xF));
        if (opcode.isControl()) {
            if (!fin) throw peer(FRAGMENTED_CONTROL_FRAME, opcode + " without FIN");
        } else if (opcode == Opcode.CONTINUATION) {
            if (message == null) throw peer(CONTINUATION_WITHOUT_START, "continuation frame with no message to continue");
        } else if (message != null) {
            throw peer(DATA_FRAME_INSIDE_MESSAGE, opcode + " frame before the " + message + " message in progress ended");
        }
        // §5.2: a reserved bit needs an extension that gives it a meaning. permessage-deflate gives
        // RSV1 one, on the first frame of a data message only (RFC 7692 §6, §6.1).
        rsv1 = (b & 0x40) != 0;
        boolean rsv1Allowed = inflater != null && (opcode == Opcode.TEXT || opcode == Opcode.BINARY);
        if ((b & 0x30) != 0 || rsv1 && !rsv1Allowed) {
            throw peer(RESERVED_BITS, "RSV bits 0x" + Integer.toHexString((b & 0x70) >> 4) + " on " + opcode + " with "
                + (inflater == null ? "no extension" : "permessage-deflate"));
        }
        return State.LENGTH;
    }

    /** MASK and the 7-bit length. */
    private State onLengthByte(byte b) {
        boolean masked = (b & 0x80) != 0;
        if (masked != server) {
            throw server ? peer(UNMASKED_CLIENT_FRAME, "a client's frame must be masked")
                         : peer(MASKED_SERVER_FRAME, "a server's frame must not be masked");
        }
        int len7 = b & 0x7F;
        if (opcode.isControl()) {
            if (len7 > MAX_CONTROL) throw peer(CONTROL_FRAME_TOO_LONG, opcode + " frame longer than 125 bytes");
            if (opcode == Opcode.CLOSE && len7 == 1) throw peer(CLOSE_PAYLOAD_TOO_SHORT, "a Close payload of one byte");
        }
        length = 0;
        if (len7 >= 126) {
            longLength = len7 == 127;
            lengthBytesLeft = longLength ? 8 : 2;
            return State.EXTENDED_LENGTH;
        }
        length = len7;
        return lengthKnown();
    }

    /**
     * The 16- or 64-bit length, big-endian. The bytes still to come can only make it larger, so
     * a limit is exceeded as soon as {@code length * 256^left} is over it (convention 6).
     */
    private State onExtendedLengthByte(byte b) {
        if (longLength && lengthBytesLeft == 8 && b < 0) throw peer(LENGTH_HIGH_BIT, "64-bit length with the top bit set");
        length = (length << 8) | (b & 0xFF);
        lengthBytesLeft--;
        checkLimits(length, 8 * lengthBytesLeft);
        if (lengthBytesLeft > 0) return State.EXTENDED_LENGTH;
        // §5.2: "the minimal number of bytes MUST be used to encode the length"
        if (longLength ? length <= 0xFFFF : length < 126) throw peer(NON_MINIMAL_LENGTH, "length " + length + " not minimally encoded");
        return lengthKnown();
    }

    /** Fails if a data frame of at least {@code soFar << shift} bytes would pass a limit. */
    private void checkLimits(long soFar, int shift) {
        if (soFar > (long) limits.maxFrameBytes() >>> shift) {
            throw peer(FRAME_TOO_LARGE, "frame payload beyond " + limits.maxFrameBytes() + " bytes");
        }
        if (soFar > (limits.maxMessageBytes() - messageBytes) >>> shift) {
            throw peer(MESSAGE_TOO_LARGE, "message beyond " + limits.maxMessageBytes() + " bytes");
        }
    }

    private State lengthKnown() {
        if (!opcode.isControl()) {
            checkLimits(length, 0);
            messageBytes = opcode == Opcode.CONTINUATION ? messageBytes + length : length;
        }
        if (!server) return State.PAYLOAD_START;
        lengthBytesLeft = 4;
        mask = 0;
        return State.MASKING_KEY;
    }

    private State onMaskingKeyByte(byte b) {
        mask = (mask << 8) | (b & 0xFF);
        return --lengthBytesLeft > 0 ? State.MASKING_KEY : State.PAYLOAD_START;
    }

    // ---- payloads ----

    private WebSocketEvent payloadStart() {
        payloadRead = 0;
        if (opcode.isControl()) {
            state = State.CONTROL;
            return null;
        }
        state = State.DATA;
        if (opcode == Opcode.CONTINUATION) return null;
        message = opcode == Opcode.TEXT ? MessageType.TEXT : MessageType.BINARY;
        text.reset();
        compressed = rsv1;
        if (compressed) {
            inflater.begin();
            inflated = 0;
            tailFed = false;
        }
        return MessageStart.of(message);
    }

    /**
     * Lends the payload bytes that are here, unmasked and (for text) checked; or, in a compressed
     * message, hands them to the inflater, whose output {@code INFLATE} lends instead.
     */
    private WebSocketEvent data() {
        long left = length - payloadRead;
        if (left == 0) return frameEnd();
        if (!in.hasRemaining()) return starved();
        int n = (int) Math.min(left, in.remaining());
        Data piece = in.isReadOnly() && server ? copied(n) : inPlace(n);
        ByteBuffer bytes = piece.bytes();
        payloadRead += bytes.remaining();
        if (compressed) {
            inflater.input(bytes);
            state = State.INFLATE;
            return null;
        }
        if (message == MessageType.TEXT) checkText(bytes, bytes.remaining());
        return piece;
    }

    private WebSocketEvent frameEnd() {
        if (!fin) {
            state = State.OPCODE;
        } else if (compressed && !tailFed) {
            inflater.end();
            tailFed = true;
            state = State.INFLATE;
        } else {
            state = State.MESSAGE_END;
        }
        return null;
    }

    /**
     * Lends the next piece of inflated bytes. It asks for at most one byte more than the message
     * limit leaves, so a decompression bomb fails having inflated at most one byte past the limit;
     * text within the limit is checked first, so the same bytes fail the same way however they
     * were split.
     */
    private WebSocketEvent inflate() {
        long room = limits.maxMessageBytes() - inflated;
        ByteBuffer out = inflater.inflate((int) Math.min(room + 1, 1 << 30));
        if (out == null) {
            state = tailFed ? State.MESSAGE_END : State.DATA;
            return null;
        }
        int n = out.remaining();
        if (message == MessageType.TEXT) checkText(out, (int) Math.min(n, room));
        if (n > room) throw peer(MESSAGE_TOO_LARGE, "inflated message beyond " + limits.maxMessageBytes() + " bytes");
        inflated += n;
        if (out != inflatedView) {
            inflatedView = out;
            inflatedData = new Data(out);
        }
        return inflatedData;
    }

    private Data inPlace(int n) {
        int p = in.position();
        if (server) Masking.unmask(in, p, n, mask, payloadRead);
        in.position(p + n);
        if (view == null) {
            view = in.asReadOnlyBuffer();
            data = new Data(view);
        }
        view.limit(p + n).position(p);
        return data;
    }

    /** A read-only buffer cannot be unmasked in place: copy at most 8 KiB, and unmask the copy. */
    private Data copied(int n) {
        if (copy == null) {
            copy = new byte[COPY_CHUNK];
            copyView = ByteBuffer.wrap(copy).order(ByteOrder.BIG_ENDIAN);
            copyData = new Data(copyView.asReadOnlyBuffer());
        }
        int k = Math.min(n, COPY_CHUNK);
        in.get(copy, 0, k);
        Masking.unmask(copyView, 0, k, mask, payloadRead);
        copyData.bytes().limit(k).position(0);
        return copyData;
    }

    /** Checks the first {@code n} bytes of {@code piece} as the continuation of the message's text. */
    private void checkText(ByteBuffer piece, int n) {
        int bad = text.check(piece, piece.position(), piece.position() + n);
        if (bad >= 0) throw peer(INVALID_UTF8, "invalid UTF-8 at byte " + (bad - piece.position()) + " of a text piece");
    }

    private WebSocketEvent messageEnd() {
        if (message == MessageType.TEXT && !text.isComplete()) throw peer(INVALID_UTF8, "text message ends inside a character");
        if (compressed) inflater.finish();
        message = null;
        messageBytes = 0;
        state = State.OPCODE;
        return MessageEnd.END;
    }

    /** Gathers a control frame's payload, checking a Close's code and reason as they arrive. */
    private WebSocketEvent control() {
        if (control == null) control = new byte[MAX_CONTROL];
        int have = (int) payloadRead;
        int n = (int) Math.min(length - have, in.remaining());
        if (n > 0) {
            in.get(control, have, n);
            if (server) Masking.unmask(control, have, n, mask, have);
            payloadRead += n;
            if (opcode == Opcode.CLOSE) checkClose(have, have + n);
        }
        if (payloadRead < length) return starved();
        state = State.OPCODE;
        int size = (int) length;
        return switch (opcode) {
            case PING -> ping(size);
            case PONG -> pong(size);
            case CLOSE -> close(size);
            default -> throw new AssertionError(opcode);
        };
    }

    /** The code once both its bytes are in (RFC 6455 §7.4), then the reason byte by byte (§5.5.1). */
    private void checkClose(int from, int to) {
        if (from < 2 && to >= 2) {
            int code = closeCode();
            if (!CloseCodes.isSendable(code)) throw peer(BAD_CLOSE_CODE, "close code " + code + " may not be sent");
            reason.reset();
        }
        int start = Math.max(from, 2);
        if (start < to && reason.check(control, start, to) >= 0) throw peer(CLOSE_REASON_NOT_UTF8, "close reason is not UTF-8");
    }

    private int closeCode() { return (control[0] & 0xFF) << 8 | control[1] & 0xFF; }

    private Ping ping(int size) {
        if (ping == null) ping = new Ping(ByteBuffer.wrap(control).asReadOnlyBuffer());
        ping.payload().limit(size).position(0);
        return ping;
    }

    private Pong pong(int size) {
        if (pong == null) pong = new Pong(ByteBuffer.wrap(control).asReadOnlyBuffer());
        pong.payload().limit(size).position(0);
        return pong;
    }

    private Close close(int size) {
        if (size > 2 && !reason.isComplete()) throw peer(CLOSE_REASON_NOT_UTF8, "close reason ends inside a character");
        state = State.CLOSED;
        message = null;
        if (size == 0) return new Close(CloseCodes.NO_STATUS_RECEIVED, "");
        return new Close(closeCode(), new String(control, 2, size - 2, StandardCharsets.UTF_8));
    }

    // ---- input ----

    /** The input is used up: wait for more or, after feedEnd, end without a Close. */
    private WebSocketEvent starved() {
        if (!eof) return Signal.NEED_MORE;
        state = State.ENDED;
        return Signal.END_WITHOUT_CLOSE;
    }

    private static WebSocketPeerViolation peer(WebSocketViolation v, String detail) { return new WebSocketPeerViolation(v, detail); }
}
