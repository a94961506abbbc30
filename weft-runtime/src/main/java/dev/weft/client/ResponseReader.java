package dev.weft.client;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;

import java.nio.ByteBuffer;

/**
 * Receives a response piece by piece, on the connection's loop, with demand: the server's
 * counterpart of {@code dev.weft.server.BodyReader}. Callbacks must not block. Returning false
 * from {@link #onBytes} pauses reading the socket (TCP holds the server back) until
 * {@link ClientCall#resume()}.
 */
public interface ResponseReader {
    /** The final response's status and fields (interim 1xx responses are not shown). */
    void onHead(Status status, Headers headers);

    /** A piece of the body: a read-only view valid only during the call; copy what you keep. */
    boolean onBytes(ByteBuffer piece);

    /** The body is complete; trailers are empty unless a chunked body sent some. */
    void onEnd(Headers trailers);

    /**
     * The exchange failed: connect, a deadline, the server broke HTTP/1.1 (a
     * {@link dev.weft.protocol.http.PeerViolation} as the cause), the connection closed early, or
     * the call was cancelled. Called at most once, and never after {@link #onEnd}.
     */
    void onFailure(Throwable cause);
}
