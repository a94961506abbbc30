package dev.weft.protocol.websocket;

import dev.weft.protocol.http.ByteSink;
import dev.weft.protocol.http.UsageViolation;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writes the legacy framing of draft-hixie-thewebsocketprotocol-75 and -76 (draft-hixie-76
 * §5.2): a text message is 0x00, its UTF-8, and a 0xFF sentinel; the closing handshake is 0xFF
 * 0x00 (hixie-76; a hixie-75 peer reads it as an empty frame to discard, which is harmless).
 * Only after a legacy handshake, which {@link ServerHandshake} accepts only when asked to.
 *
 * <p>The framing has no binary messages, no pings or pongs and no close codes: {@link #binary},
 * a BINARY {@link #message} or {@link #fragment}, {@link #ping} and {@link #pong} are
 * UsageViolations, and {@link #close} sends no code or reason. Fragments of one text message
 * become one frame, written as they come, so nothing else may go between them. Bytes given as
 * text are checked for 0xFF, which valid UTF-8 never holds and which would end the frame early
 * and let the rest pass for frames of the caller's making.
 */
public final class HixieEncoder implements WebSocketEncoder {
    private static final int CHUNK = 1 << 10;            // the sink copies each piece away: small is enough
    private static final byte[] START = {0x00};
    private static final byte[] END = {(byte) 0xFF};
    private static final byte[] CLOSE = {(byte) 0xFF, 0x00};

    private byte[] chunk;
    private boolean inFrame;
    private boolean closed;

    /** An encoder for one legacy connection, either role (the framing is the same both ways). */
    public HixieEncoder() {}

    @Override public void text(CharSequence text, ByteSink out) {
        startMessage();
        Utf8.encodedLength(text);                                       // rejects lone surrogates first
        byte[] c = chunk();
        int i = 0;
        int off = 1;
        c[0] = 0x00;
        do {
            long r = Utf8.encode(text, i, c, off, c.length - 1);
            i = (int) (r >>> 32);
            int n = off + (int) r;
            if (i == text.length()) c[n++] = (byte) 0xFF;
            out.write(c, 0, n);
            off = 0;
        } while (i < text.length());
    }

    @Override public void binary(ByteBuffer payload, ByteSink out) { message(MessageType.BINARY, payload, out); }

    @Override public void message(MessageType type, ByteBuffer payload, ByteSink out) {
        startMessage();
        checkText(type, payload);
        out.write(START);
        if (payload.hasRemaining()) out.write(payload);
        out.write(END);
    }

    @Override public void fragment(MessageType type, ByteBuffer piece, boolean last, ByteSink out) {
        checkOpen();
        checkText(type, piece);
        if (!inFrame) out.write(START);
        inFrame = !last;
        if (piece.hasRemaining()) out.write(piece);
        if (last) out.write(END);
    }

    @Override public void ping(ByteBuffer payload, ByteSink out) {
        throw new UsageViolation("the hixie framing has no ping");
    }

    @Override public void pong(ByteBuffer payload, ByteSink out) {
        throw new UsageViolation("the hixie framing has no pong");
    }

    /** The closing handshake 0xFF 0x00; {@code code} and {@code reason} have no place in this framing. */
    @Override public void close(int code, String reason, ByteSink out) {
        startMessage();
        out.write(CLOSE);
        closed = true;
    }

    @Override public boolean isClosed() { return closed; }

    private static void checkText(MessageType type, ByteBuffer payload) {
        Objects.requireNonNull(type, "type");
        if (type != MessageType.TEXT) throw new UsageViolation("the hixie framing carries text only");
        for (int i = payload.position(); i < payload.limit(); i++) {
            if (payload.get(i) == (byte) 0xFF) throw new UsageViolation("0xFF in text: not UTF-8, and it would end the frame");
        }
    }

    private byte[] chunk() {
        if (chunk == null) chunk = new byte[CHUNK];
        return chunk;
    }

    private void startMessage() {
        checkOpen();
        if (inFrame) throw new UsageViolation("a fragmented text message is unfinished: nothing may go inside its frame");
    }

    private void checkOpen() {
        if (closed) throw new UsageViolation("nothing may be sent after the closing handshake");
    }
}
