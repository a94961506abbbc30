package dev.weft.protocol.websocket;

import dev.weft.protocol.http.ByteSink;
import dev.weft.protocol.http.UsageViolation;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Writes WebSocket frames (RFC 6455 §5.2) into a {@link ByteSink}, for either role; see
 * {@link WebSocketEncoder} for the contract. A client's encoder masks every frame with a fresh
 * 4-byte key from the generator it was given (§5.3); a server's masks none.
 *
 * <p>With permessage-deflate (RFC 7692), a message of at least {@link DeflateOptions#minMessageBytes()}
 * is compressed and sent with RSV1 set; a message sent in fragments is always compressed, each
 * fragment sync-flushed so the peer can inflate it at once. Control frames never are (§6.1).
 *
 * <p>Hot path: a frame's header goes to the sink from an array the encoder keeps, and a small
 * payload (up to 125 bytes) is copied beside it so the frame is one write; a larger unmasked
 * payload goes by reference. Masked payload and text are staged a piece at a time in a 1 KiB
 * array, made on first need and kept; the sink copies each piece away before it returns, so a
 * small array costs a few more calls, not more memory per connection (ARCHITECTURE.md rule 3).
 * So encoding a frame allocates nothing once the encoder is warm. Lengths always take the
 * shortest form (§5.2).
 *
 * <p>Not thread-safe: an encoder belongs to its connection's loop (ARCHITECTURE.md rule 1).
 */
public final class FrameEncoder implements WebSocketEncoder {
    private static final int MAX_HEADER = 14;
    private static final int MAX_CONTROL = 125;
    private static final int CHUNK = 1 << 10;
    private static final int FIN = 0x80;
    private static final int RSV1 = 0x40;

    private final RandomGenerator masks;            // null for a server, which does not mask
    private final MessageDeflater deflater;         // null unless permessage-deflate was negotiated
    private final byte[] head = new byte[MAX_HEADER + MAX_CONTROL + Utf8.MAX_BYTES_PER_CHAR];
    private byte[] chunk;                           // made on the first large masked or text payload
    private MessageType fragmented;                 // the message being sent in fragments, or null
    private boolean compressing;                    // ... and whether it is compressed
    private boolean closed;

    private FrameEncoder(RandomGenerator masks, MessageDeflater deflater) {
        this.masks = masks;
        this.deflater = deflater;
    }

    /** A server's encoder: frames unmasked (RFC 6455 §5.1). */
    public static FrameEncoder server() { return new FrameEncoder(null, null); }

    /** A server's encoder with permessage-deflate. */
    public static FrameEncoder server(PerMessageDeflate deflate) { return new FrameEncoder(null, deflate.deflater()); }

    /**
     * A client's encoder: every frame masked with {@code masks.nextInt()} (RFC 6455 §5.3). The key
     * must be unpredictable to the page whose script supplies the payload, so that it cannot
     * choose the bytes an intermediary sees (§10.3): seed the generator from {@code SecureRandom}.
     */
    public static FrameEncoder client(RandomGenerator masks) {
        return new FrameEncoder(Objects.requireNonNull(masks, "masks"), null);
    }

    /** A client's encoder with permessage-deflate. */
    public static FrameEncoder client(RandomGenerator masks, PerMessageDeflate deflate) {
        return new FrameEncoder(Objects.requireNonNull(masks, "masks"), deflate.deflater());
    }

    /**
     * True for a server's encoder without compression: its frames depend on the message alone
     * (unmasked, no compression context), so one encoding of a message may be written to every
     * connection.
     */
    public boolean sharesEncodings() { return masks == null && deflater == null; }

    @Override public void text(CharSequence text, ByteSink out) {
        startMessage();
        long n = Utf8.encodedLength(text);
        if (compresses(n)) {
            compressedText(text, out);
            return;
        }
        int key = key();
        int h = header(FIN | Opcode.TEXT.code, n, key);
        if (n <= MAX_CONTROL) {
            int written = (int) Utf8.encode(text, 0, head, h, head.length);
            mask(head, h, written, key, 0);
            out.write(head, 0, h + written);
            return;
        }
        out.write(head, 0, h);
        byte[] c = chunk();
        long sent = 0;
        for (int i = 0; i < text.length(); ) {
            long r = Utf8.encode(text, i, c, 0, c.length);
            i = (int) (r >>> 32);
            int written = (int) r;
            mask(c, 0, written, key, sent);
            out.write(c, 0, written);
            sent += written;
        }
    }

    @Override public void binary(ByteBuffer payload, ByteSink out) { message(MessageType.BINARY, payload, out); }

    @Override public void message(MessageType type, ByteBuffer payload, ByteSink out) {
        startMessage();
        int firstByte = FIN | Opcode.of(type).code;
        if (!compresses(payload.remaining())) {
            frame(firstByte, payload, out);
            return;
        }
        deflater.begin();
        deflater.write(payload);
        compressedFrame(firstByte | RSV1, true, out);
        deflater.finish();
    }

    @Override public void fragment(MessageType type, ByteBuffer piece, boolean last, ByteSink out) {
        Objects.requireNonNull(type, "type");
        checkOpen();
        int firstByte = last ? FIN : 0;
        if (fragmented == null) {
            firstByte |= Opcode.of(type).code;
            compressing = deflater != null;
            if (compressing) {
                deflater.begin();
                firstByte |= RSV1;                      // on the first frame only (RFC 7692 §6)
            }
        } else if (fragmented != type) {
            throw new UsageViolation("a " + type + " fragment while a " + fragmented + " message is being sent");
        }
        fragmented = last ? null : type;
        if (!compressing) {
            frame(firstByte, piece, out);
            return;
        }
        deflater.write(piece);
        compressedFrame(firstByte, last, out);
        if (last) deflater.finish();
    }

    @Override public void ping(ByteBuffer payload, ByteSink out) { control(Opcode.PING, payload, out); }

    @Override public void pong(ByteBuffer payload, ByteSink out) { control(Opcode.PONG, payload, out); }

    @Override public void close(int code, String reason, ByteSink out) {
        Objects.requireNonNull(reason, "reason");
        checkOpen();
        int key = key();
        if (code == CloseCodes.NO_STATUS_RECEIVED) {
            if (!reason.isEmpty()) throw new UsageViolation("a reason needs a close code (RFC 6455 §5.5.1)");
            out.write(head, 0, header(FIN | Opcode.CLOSE.code, 0, key));
        } else {
            if (!CloseCodes.isSendable(code)) throw new UsageViolation("close code " + code + " may not be sent (RFC 6455 §7.4)");
            long n = Utf8.encodedLength(reason);
            if (n > MAX_CONTROL - 2) throw new UsageViolation("close reason of " + n + " bytes; at most 123 fit (RFC 6455 §5.5)");
            int h = header(FIN | Opcode.CLOSE.code, n + 2, key);
            head[h] = (byte) (code >>> 8);
            head[h + 1] = (byte) code;
            Utf8.encode(reason, 0, head, h + 2, head.length);
            mask(head, h, (int) n + 2, key, 0);
            out.write(head, 0, h + 2 + (int) n);
        }
        closed = true;
    }

    @Override public boolean isClosed() { return closed; }

    // ---- frames ----

    private boolean compresses(long n) { return deflater != null && n >= deflater.minMessageBytes; }

    /** Text through the deflater, encoded a staging array at a time, then one frame. */
    private void compressedText(CharSequence text, ByteSink out) {
        deflater.begin();
        byte[] c = chunk();
        for (int i = 0; i < text.length(); ) {
            long r = Utf8.encode(text, i, c, 0, c.length);
            i = (int) (r >>> 32);
            deflater.write(c, 0, (int) r);
        }
        compressedFrame(FIN | RSV1 | Opcode.TEXT.code, true, out);
        deflater.finish();
    }

    /** A frame of what the deflater holds; flushed first, since flushing may move it to a larger array. */
    private void compressedFrame(int firstByte, boolean last, ByteSink out) {
        int n = deflater.flush(last);
        arrayFrame(firstByte, deflater.bytes(), n, out);
    }

    /** A frame whose payload is {@code a[0, n)}, an array of ours that may be masked in place. */
    private void arrayFrame(int firstByte, byte[] a, int n, ByteSink out) {
        int key = key();
        int h = header(firstByte, n, key);
        mask(a, 0, n, key, 0);
        if (n <= MAX_CONTROL) {
            System.arraycopy(a, 0, head, h, n);
            out.write(head, 0, h + n);
        } else {
            out.write(head, 0, h);
            out.write(a, 0, n);
        }
    }

    private void control(Opcode opcode, ByteBuffer payload, ByteSink out) {
        checkOpen();
        int n = payload.remaining();
        if (n > MAX_CONTROL) throw new UsageViolation(opcode + " payload of " + n + " bytes; at most 125 (RFC 6455 §5.5)");
        frame(FIN | opcode.code, payload, out);
    }

    /** Header and payload: small payloads copied beside the header, large ones by reference or masked in pieces. */
    private void frame(int firstByte, ByteBuffer payload, ByteSink out) {
        int n = payload.remaining();
        int key = key();
        int h = header(firstByte, n, key);
        if (n <= MAX_CONTROL) {
            payload.get(payload.position(), head, h, n);
            mask(head, h, n, key, 0);
            out.write(head, 0, h + n);
            return;
        }
        out.write(head, 0, h);
        if (masks == null) {
            out.write(payload);
            return;
        }
        byte[] c = chunk();
        int p = payload.position();
        for (int done = 0; done < n; ) {
            int k = Math.min(c.length, n - done);
            payload.get(p + done, c, 0, k);
            mask(c, 0, k, key, done);
            out.write(c, 0, k);
            done += k;
        }
    }

    /** Writes a frame header into {@code head}; returns its length. */
    private int header(int firstByte, long length, int key) {
        int maskBit = masks != null ? 0x80 : 0;
        head[0] = (byte) firstByte;
        int h;
        if (length <= 125) {
            head[1] = (byte) (maskBit | length);
            h = 2;
        } else if (length <= 0xFFFF) {
            head[1] = (byte) (maskBit | 126);
            head[2] = (byte) (length >>> 8);
            head[3] = (byte) length;
            h = 4;
        } else {
            head[1] = (byte) (maskBit | 127);
            for (int i = 0; i < 8; i++) head[2 + i] = (byte) (length >>> (56 - 8 * i));
            h = 10;
        }
        if (masks != null) {
            for (int i = 0; i < 4; i++) head[h + i] = (byte) (key >>> (24 - 8 * i));
            h += 4;
        }
        return h;
    }

    private int key() { return masks != null ? masks.nextInt() : 0; }

    private void mask(byte[] a, int from, int n, int key, long offset) {
        if (masks != null) Masking.unmask(a, from, n, key, offset);
    }

    private byte[] chunk() {
        if (chunk == null) chunk = new byte[CHUNK];
        return chunk;
    }

    private void startMessage() {
        checkOpen();
        if (fragmented != null) throw new UsageViolation("a new message while a fragmented " + fragmented + " message is unfinished (RFC 6455 §5.4)");
    }

    private void checkOpen() {
        if (closed) throw new UsageViolation("nothing may be sent after Close (RFC 6455 §5.5.1)");
    }
}
