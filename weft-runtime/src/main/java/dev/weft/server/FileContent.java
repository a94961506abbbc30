package dev.weft.server;

import dev.weft.loop.spi.FileSource;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.Objects;

/**
 * A body sent from an open file: spans of it go to the socket with sendfile, never through the
 * heap, interleaved with bytes in memory (the part headers of a multipart/byteranges body). The
 * response that carries it owns the channel: the server closes it once the body is sent, or
 * when the exchange ends without sending it, so such a response is sent at most once.
 *
 * <p>{@code copyBelow}: a span at most this long is read into the connection's buffers and sent
 * with the head in one write, rather than with sendfile; 0 for sendfile always.
 */
public record FileContent(FileChannel channel, List<Part> parts, long copyBelow, FileSource.Origin origin) {
    /** One piece of the body, in order. */
    public sealed interface Part {
        long length();

        /** Bytes in memory, sent as they are. */
        record Bytes(ByteBuffer bytes) implements Part {
            public Bytes {
                bytes = bytes.asReadOnlyBuffer();
            }

            @Override public long length() { return bytes.remaining(); }
        }

        /** {@code length} bytes of the file from {@code offset}. */
        record Span(long offset, long length) implements Part {
            public Span {
                if (offset < 0 || length < 0) throw new IllegalArgumentException("offset " + offset + ", length " + length);
            }
        }
    }

    public FileContent {
        Objects.requireNonNull(channel, "channel");
        parts = List.copyOf(parts);
        if (copyBelow < 0) throw new IllegalArgumentException("copyBelow < 0: " + copyBelow);
    }

    /** {@code length} bytes of {@code channel} from {@code offset}, sent with sendfile. */
    public static FileContent span(FileChannel channel, long offset, long length) {
        return new FileContent(channel, List.of(new Part.Span(offset, length)), 0, null);
    }

    /** The same body, with spans up to {@code bytes} read and sent with the head instead. */
    public FileContent copyBelow(long bytes) { return new FileContent(channel, parts, bytes, origin); }

    /** Where the file lies and which it is, so a native transport can reopen it for sendfile (origin null: unknown). */
    public FileContent origin(FileSource.Origin where) { return new FileContent(channel, parts, copyBelow, where); }

    /** A body with no known origin: sent through the channel alone. */
    public FileContent(FileChannel channel, List<Part> parts, long copyBelow) { this(channel, parts, copyBelow, null); }

    /** The body's length: what Content-Length announces. */
    public long length() {
        long n = 0;
        for (Part p : parts) n += p.length();
        return n;
    }

    /** Closes the channel; quietly, since whatever was to be sent is over. */
    void release() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing reads it any more
        }
    }
}
