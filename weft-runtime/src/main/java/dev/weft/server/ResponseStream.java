package dev.weft.server;

import dev.weft.protocol.http.Headers;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/**
 * The body of a response sent in pieces, from any thread (ARCHITECTURE.md rule 4: writes past the
 * connection's high-water mark hold the producer back). Three ways to be held back, pick one:
 * <ul>
 *   <li>poll {@link #isReady()} and register {@link #onReady} when it is false;</li>
 *   <li>chain on the stage {@link #write} returns, which completes once the connection is below
 *       its low-water mark again;</li>
 *   <li>write through {@link #outputStream()} from a virtual thread, which parks while the
 *       connection is not writable.</li>
 * </ul>
 * Writes that ignore all three are accepted only up to a bound: with four times the connection's
 * high-water mark already queued, a write fails with a {@link dev.weft.protocol.http.UsageViolation}
 * and the response is aborted, so a runaway producer cannot grow the server's memory.
 *
 * <p>After the client left (see {@link #isOpen()}), writes are dropped and their stages complete
 * exceptionally with an {@link java.io.IOException}; nothing is thrown.
 */
public interface ResponseStream extends AutoCloseable {
    /**
     * Queues {@code piece} (from position to limit) and returns at once. The stream takes the
     * buffer: do not change it afterwards. The stage completes when the connection can take more.
     */
    CompletionStage<Void> write(ByteBuffer piece);

    /** Queues {@code text} as UTF-8. */
    default CompletionStage<Void> write(String text) {
        return write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** True while the stream is open and the connection is below its high-water mark. */
    boolean isReady();

    /**
     * Runs {@code callback} once, on the loop and in the request's context, when the stream is
     * ready (right away if it is now). Not run if the client leaves first.
     */
    void onReady(Runnable callback);

    /** Bytes written to this stream that have not reached the socket yet. */
    long pendingBytes();

    /** False once the client left or the stream ended. */
    boolean isOpen();

    /** Ends the body (the last chunk, for chunked framing). Idempotent. */
    @Override void close();

    /** Ends the body with trailer fields (sent only with chunked framing, RFC 9112 §7.1.2). */
    void close(Headers trailers);

    /** Ends the response abnormally: the connection is closed without completing the body. */
    void abort();

    /**
     * A blocking view for virtual threads: writes park the calling thread while the connection is
     * not writable. Buffers up to 8 KiB before it writes; flush() sends at once; close() ends the
     * stream. Must not be used on an event loop.
     */
    OutputStream outputStream();
}
