package dev.weft.net;

import java.nio.ByteBuffer;

/**
 * Protocol logic on one {@link Connection}. Every callback runs on the connection's loop thread
 * and must not block (ARCHITECTURE.md rule 2). A callback that throws aborts the connection (RST), with
 * the exception as its {@link Connection#failure()}, logged at WARNING: it is a bug in the handler.
 *
 * <p>The read idiom:
 * <pre>{@code
 * public void onRead(Connection c, ByteBuffer in) {
 *     while (in.hasRemaining()) {
 *         int end = indexOf(in, '\n');
 *         if (end < 0) return;              // leave the partial line; it comes back first next time
 *         answer(c, in, end);               // consumes through the '\n'
 *     }
 *     c.flush();
 * }
 * }</pre>
 * Leaving bytes is how a handler asks for more; but a handler that leaves the buffer entirely
 * full without {@link Connection#suspendRead()} can never be given more, and the connection is
 * aborted with an {@link IllegalStateException}: copy what you must keep.
 */
public interface ConnectionHandler {
    /** The connection is registered and readable; a good place to start a deadline. */
    default void onOpen(Connection c) {}

    /**
     * Bytes arrived. {@code in} (read mode) is a pooled buffer lent for this call. Consume what you
     * can; bytes you leave in it stay with the connection and come back first in the next
     * {@code onRead} (on the next readable event, or right after {@link Connection#resumeRead()}
     * if bytes are left). While the handler leaves bytes unconsumed the connection holds the
     * buffer; otherwise it goes back to the pool at once. Do not keep {@code in} after returning,
     * and never queue it itself with {@code write(in)}: copy it ({@code sink().write(byte[])}).
     */
    void onRead(Connection c, ByteBuffer in);

    /** The peer shut its sending side (EOF, after every byte was delivered). Default: close(). */
    default void onInputClosed(Connection c) { c.close(); }

    /** Pending output fell to the low-water mark after having passed the high-water mark. */
    default void onWritable(Connection c) {}

    /** The connection closed, once, for any reason; {@code c.failure()} says why if it was not orderly. */
    default void onClose(Connection c) {}
}
