package dev.weft.protocol.http;

import java.nio.ByteBuffer;

/**
 * Where writers put bytes. The sink belongs to the caller (a connection's write queue, a test's
 * byte array), so writers never allocate output buffers of their own.
 *
 * <p>Lifetimes: {@link #write(byte[], int, int)} must take its bytes before it returns, since the
 * writer may reuse the array. {@link #write(ByteBuffer)} hands over the buffer's remaining bytes:
 * the sink may keep the buffer itself (for a gathering write) and the caller must not change it
 * afterwards.
 */
public interface ByteSink {
    void write(byte[] bytes, int offset, int length);

    void write(ByteBuffer bytes);

    default void write(byte[] bytes) { write(bytes, 0, bytes.length); }
}
