package dev.weft.protocol.http1;

import dev.weft.protocol.http.ByteSink;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A test sink that keeps what the writers hand it: the bytes (copied, as ByteSink's contract
 * asks), the number of calls, and the ByteBuffers given by reference, so tests can check that
 * a head is one call and a body piece is passed on uncopied.
 */
final class WriteRecorder implements ByteSink {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<ByteBuffer> buffers = new ArrayList<>();
    int writes;

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

    byte[] bytes() { return bytes.toByteArray(); }

    /** The bytes as ISO-8859-1 text: one char per byte, so vectors compare exactly. */
    String text() { return bytes.toString(StandardCharsets.ISO_8859_1); }

    void clear() {
        bytes.reset();
        buffers.clear();
        writes = 0;
    }
}
