package dev.weft.protocol.websocket;

import dev.weft.protocol.http.UsageViolation;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Compresses our messages (RFC 7692 §7.2.1) for a {@link FrameEncoder}: input goes in as it
 * comes, and {@link #flush} ends a frame's worth with a sync flush, whose empty stored block ends
 * in 0x00 0x00 0xFF 0xFF; on a message's last frame those four bytes are removed (§7.2.1 step 3).
 * The compressed bytes collect in an array of ours, since a frame's length precedes its payload.
 *
 * <p>The Deflater holds native memory (about 256 KiB at the default memory level) until
 * {@link #close()}. It is made on the first compressed message; without context takeover it is
 * reset between messages and {@link #releaseIdle()} may end it.
 */
final class MessageDeflater {
    private static final int MIN_BUFFER = 1024;
    private static final int KEEP_BUFFER = 64 << 10;    // a larger one, grown for a big message, is dropped after it

    private final boolean resetEachMessage;
    private final int level;
    final int minMessageBytes;
    private Deflater deflater;
    private byte[] buf;
    private int size;
    private boolean inMessage;
    private boolean closed;

    MessageDeflater(boolean resetEachMessage, int level, int minMessageBytes) {
        this.resetEachMessage = resetEachMessage;
        this.level = level;
        this.minMessageBytes = minMessageBytes;
    }

    void begin() {
        if (closed) throw new UsageViolation("PerMessageDeflate was closed");
        if (deflater == null) deflater = new Deflater(level, true);      // raw DEFLATE (§7.2.1)
        if (buf == null) buf = new byte[MIN_BUFFER];
        inMessage = true;
    }

    /** Compresses {@code src}'s remaining bytes, leaving its position alone. */
    void write(ByteBuffer src) {
        deflater.setInput(src.duplicate());
        drain();
    }

    void write(byte[] src, int off, int len) {
        deflater.setInput(src, off, len);
        drain();
    }

    private void drain() {
        while (!deflater.needsInput()) {
            room();
            size += deflater.deflate(buf, size, buf.length - size, Deflater.NO_FLUSH);
        }
    }

    /**
     * Flushes what was written into whole bytes and returns how many {@link #bytes()} holds for this
     * frame; for the last frame of a message, without the sync flush's final four bytes. The next
     * frame's bytes start again at 0.
     */
    int flush(boolean last) {
        int n;
        do {
            room();
            n = deflater.deflate(buf, size, buf.length - size, Deflater.SYNC_FLUSH);
            size += n;
        } while (size == buf.length);       // full: there may be more (Deflater's SYNC_FLUSH contract)
        if (last) {
            if (size == 0) {
                // Nothing new since the last sync flush: zlib adds no second empty block. Send the
                // header byte of one, whose LEN and NLEN the receiver's appended tail supplies (§7.2.3.6).
                buf[size++] = 0x00;
            } else if (size >= 4 && buf[size - 4] == 0 && buf[size - 3] == 0 && buf[size - 2] == (byte) 0xFF && buf[size - 1] == (byte) 0xFF) {
                size -= 4;
            } else {
                throw new AssertionError("a sync flush that does not end in 00 00 FF FF");
            }
        }
        int frame = size;
        size = 0;
        return frame;
    }

    /** The compressed bytes of the frame {@link #flush} just measured; ours to mask in place. */
    byte[] bytes() { return buf; }

    /** The message was sent: start afresh if we do not keep context; drop an outsized buffer. */
    void finish() {
        inMessage = false;
        if (resetEachMessage) deflater.reset();
        if (buf.length > KEEP_BUFFER) buf = null;
    }

    boolean releaseIdle() {
        if (inMessage || !resetEachMessage) return deflater == null;
        if (deflater != null) deflater.end();
        deflater = null;
        buf = null;
        return true;
    }

    void close() {
        closed = true;
        if (deflater != null) deflater.end();
        deflater = null;
        buf = null;
    }

    private void room() {
        if (size == buf.length) buf = Arrays.copyOf(buf, buf.length * 2);
    }
}
