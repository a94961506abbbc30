package dev.weft.net;

import dev.weft.loop.spi.FileSource;
import dev.weft.loop.spi.StreamSocket;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * A span of a file to send as it is, with {@link FileChannel#transferTo} (sendfile on Linux): the
 * bytes go from the page cache to the socket without passing through the heap or a buffer of
 * ours. Queued with {@link Connection#write(FileRegion)}; loop thread only once queued.
 *
 * <p>The region owns its channel when {@code closeWhenDone}: the connection closes it once the
 * last byte is sent, or when the connection ends first. Several regions of one file (the parts of
 * a multipart/byteranges body) share the channel and only the last one closes it.
 *
 * <p>A file that shrinks while it is sent cannot deliver the length announced for it, so the
 * region fails with an IOException and the connection is closed; bytes past {@code count} are
 * never sent however much the file grows.
 */
public final class FileRegion implements FileSource {
    private final FileChannel channel;
    private final boolean closeWhenDone;
    private long position;
    private long remaining;

    public FileRegion(FileChannel channel, long position, long count, boolean closeWhenDone) {
        this(channel, position, count, closeWhenDone, false);
    }

    /**
     * {@code copy}: read the span into the connection's pooled buffers when queued, instead of
     * sending it with sendfile later. For a few KiB that is cheaper: one read and the head and
     * body leave in one write, where sendfile costs a write for the head and a sendfile for the
     * body (NIO offers no TCP_CORK to merge them). See BENCHMARKS.md for the threshold.
     */
    public FileRegion(FileChannel channel, long position, long count, boolean closeWhenDone, boolean copy) {
        this.channel = Objects.requireNonNull(channel, "channel");
        if (position < 0 || count < 0) throw new IllegalArgumentException("position " + position + ", count " + count);
        this.position = position;
        this.remaining = count;
        this.closeWhenDone = closeWhenDone;
        this.copy = copy;
    }

    private final boolean copy;
    private Origin origin;
    private AutoCloseable transportHandle;

    boolean copy() { return copy; }

    /** Says where the file lies, so that a native transport can send it with sendfile; returns this. */
    public FileRegion origin(Origin origin) {
        this.origin = origin;
        return this;
    }

    @Override public FileChannel channel() { return channel; }

    @Override public Origin origin() { return origin; }

    @Override public AutoCloseable transportHandle() { return transportHandle; }

    @Override public void transportHandle(AutoCloseable handle) { transportHandle = handle; }

    /**
     * Reads up to {@code into.remaining()} bytes of the span into {@code into}; fails if the file
     * ends before the span does (it shrank since its length was announced).
     */
    int readInto(java.nio.ByteBuffer into) throws IOException {
        int want = (int) Math.min(remaining, into.remaining());
        int limit = into.limit();
        into.limit(into.position() + want);
        try {
            int got = 0;
            while (got < want) {
                int n = channel.read(into, position + got);
                if (n < 0) throw new IOException("the file shrank while it was being read: " + (remaining - got) + " bytes announced are gone");
                got += n;
            }
            position += got;
            remaining -= got;
            return got;
        } finally {
            into.limit(limit);
        }
    }

    /** Bytes not sent yet. */
    public long remaining() { return remaining; }

    boolean isDone() { return remaining == 0; }

    /** Sends what the socket takes now, at most {@code max}; 0 when it is full. */
    long transferTo(StreamSocket target, long max) throws IOException {
        long n = target.transferFrom(this, position, Math.min(remaining, max));
        if (n == 0 && position >= channel.size()) {
            throw new IOException("the file shrank while it was being sent: " + remaining + " bytes announced are gone");
        }
        position += n;
        remaining -= n;
        return n;
    }

    /** Closes the channel if this region owns it; quietly, since the send is over either way. */
    void release() {
        if (transportHandle != null) {
            try {
                transportHandle.close();
            } catch (Exception ignored) {
                // the transport's own descriptor; nothing is sent through it any more
            }
            transportHandle = null;
        }
        if (!closeWhenDone) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was being written through it any more
        }
    }
}
