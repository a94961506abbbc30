package dev.weft.server;

import dev.weft.protocol.http.ByteSink;

import java.nio.ByteBuffer;

/** A connection's sink that counts what passes into {@code bytesWritten}. */
final class CountingSink implements ByteSink {
    private final ByteSink out;
    private final ServerStats stats;

    CountingSink(ByteSink out, ServerStats stats) {
        this.out = out;
        this.stats = stats;
    }

    @Override public void write(byte[] bytes, int offset, int length) {
        stats.add(ServerStats.Count.BYTES_WRITTEN, length);
        out.write(bytes, offset, length);
    }

    @Override public void write(ByteBuffer bytes) {
        stats.add(ServerStats.Count.BYTES_WRITTEN, bytes.remaining());
        out.write(bytes);
    }
}
