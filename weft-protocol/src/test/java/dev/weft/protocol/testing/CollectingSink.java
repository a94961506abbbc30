package dev.weft.protocol.testing;

import dev.weft.protocol.http.ByteSink;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A sink that keeps what writers hand it: the bytes (copied, as ByteSink's contract asks), the
 * number of calls, and the ByteBuffers given by reference, so tests can check that a payload
 * went uncopied and a small frame is one write.
 */
public final class CollectingSink implements ByteSink {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<ByteBuffer> buffers = new ArrayList<>();
    private int writes;

    @Override public void write(byte[] b, int offset, int length) {
        bytes.write(b, offset, length);
        writes++;
    }

    @Override public void write(ByteBuffer b) {
        buffers.add(b);
        var copy = new byte[b.remaining()];
        b.duplicate().get(copy);
        bytes.writeBytes(copy);
        writes++;
    }

    public byte[] bytes() { return bytes.toByteArray(); }

    /** The buffers handed over by reference, in order. */
    public List<ByteBuffer> buffers() { return buffers; }

    public int writes() { return writes; }

    /** The bytes so far; then starts over. */
    public byte[] take() {
        byte[] b = bytes();
        bytes.reset();
        buffers.clear();
        writes = 0;
        return b;
    }
}
