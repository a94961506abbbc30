package dev.weft.protocol.websocket;

import dev.weft.protocol.http.UsageViolation;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Inflates the peer's compressed messages (RFC 7692 §7.2.2) for a {@link FrameDecoder}: each
 * frame's payload goes in as it arrives, the tail 0x00 0x00 0xFF 0xFF after the last one, and
 * the output comes out a bounded piece at a time, so a decompression bomb is stopped by the
 * caller's budget having inflated at most one byte past it.
 *
 * <p>The Inflater holds native memory (its 32 KiB window and state) until {@link #close()}. It is
 * made when the first compressed message starts; when the peer resets its context every message,
 * it is reset between messages and {@link #releaseIdle()} may end it, to be made again on demand.
 */
final class MessageInflater {
    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
    private static final int PIECE = 8 << 10;

    private final boolean resetEachMessage;
    private Inflater inflater;
    private byte[] out;
    private ByteBuffer outView;                 // read-only, over out
    private boolean inMessage;
    private boolean closed;
    private WebSocketPeerViolation failure;     // found after some output, thrown on the next call

    MessageInflater(boolean resetEachMessage) { this.resetEachMessage = resetEachMessage; }

    /** A compressed message starts. */
    void begin() {
        if (closed) throw new UsageViolation("PerMessageDeflate was closed");
        if (inflater == null) inflater = new Inflater(true);              // raw DEFLATE, no zlib header (§7.2.2)
        if (out == null) {
            out = new byte[PIECE];
            outView = ByteBuffer.wrap(out).asReadOnlyBuffer();
        }
        inMessage = true;
        failure = null;
    }

    /** Payload bytes, {@code [position, limit)}; the Inflater reads them during later {@link #inflate} calls. */
    void input(ByteBuffer payload) { inflater.setInput(payload); }

    /** The message's last frame is in: append the tail that the sender removed (§7.2.2 step 1). */
    void end() { inflater.setInput(TAIL); }

    /**
     * At most {@code max} (at least 1) more inflated bytes, as a read-only view valid until the
     * next call; null when the input given so far is used up, or when the stream ended with a
     * BFINAL block (§7.2.3.4), after which the rest of the message is ignored.
     *
     * <p>Bad DEFLATE data fails, but the bytes inflated in the same call before it are returned
     * first and the failure thrown by the next call: the caller judges them (as text, against the
     * limit) in stream order, so the same input fails the same way however it was split.
     */
    ByteBuffer inflate(int max) {
        if (failure != null) throw failure;
        if (inflater.finished()) return null;
        long before = inflater.getBytesWritten();
        int n;
        try {
            n = inflater.inflate(out, 0, Math.min(max, out.length));
        } catch (DataFormatException e) {
            var v = new WebSocketPeerViolation(WebSocketViolation.BAD_COMPRESSED_DATA, "not DEFLATE data: " + e.getMessage());
            int written = (int) (inflater.getBytesWritten() - before);     // the Inflater counts output made before the error
            if (written == 0) throw v;
            failure = v;
            return outView.limit(written).position(0);
        }
        if (n == 0) {
            if (inflater.needsInput() || inflater.finished()) return null;
            // A raw stream cannot ask for a dictionary, and with input and room a healthy Inflater moves.
            throw new WebSocketPeerViolation(WebSocketViolation.BAD_COMPRESSED_DATA, "DEFLATE data the Inflater cannot go on with");
        }
        return outView.limit(n).position(0);
    }

    /** The message ended: start afresh if the peer does not keep its context, or if its stream ended. */
    void finish() {
        inMessage = false;
        if (resetEachMessage || inflater.finished()) inflater.reset();
    }

    /** Between messages without context takeover: ends the Inflater and drops the buffer. True if none is held. */
    boolean releaseIdle() {
        if (inMessage || !resetEachMessage) return inflater == null;
        if (inflater != null) inflater.end();
        inflater = null;
        out = null;
        outView = null;
        return true;
    }

    /** Every byte inflated since the Inflater was made or reset: how far past a limit it went. */
    long bytesInflated() { return inflater == null ? 0 : inflater.getBytesWritten(); }

    void close() {
        closed = true;
        if (inflater != null) inflater.end();
        inflater = null;
        out = null;
    }
}
