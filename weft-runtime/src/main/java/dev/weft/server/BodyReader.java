package dev.weft.server;

import dev.weft.protocol.http.Headers;

import java.nio.ByteBuffer;

/**
 * Receives a request body with demand (Jetty's read/demand idiom, reduced to a return value).
 * Every method runs on the connection's loop, in the request's context, and must not block. An
 * exception thrown from one is treated as the handler's (500 when no reply was sent yet).
 *
 * <p>Backpressure: while the last {@link #onBytes} returned false, the server stops parsing and
 * stops reading the socket, so the client is held back by TCP flow control; it starts again when
 * someone calls {@link Exchange#resumeBody()} (from any thread).
 */
public interface BodyReader {
    /**
     * A piece of the body. {@code piece} is a read-only view into the receive buffer, valid only
     * until this method returns: copy what you keep (ARCHITECTURE.md convention 11).
     *
     * @return true to receive the next piece as soon as it arrives, false to pause
     */
    boolean onBytes(ByteBuffer piece) throws Exception;

    /** The whole body has arrived; {@code trailers} is empty unless a chunked body sent some. */
    void onEnd(Headers trailers) throws Exception;

    /**
     * The body will not be completed: the client left, the body deadline fired, or the body broke
     * the protocol or {@link #maxBytes()} (a {@link dev.weft.protocol.http.PeerViolation}, which
     * the server answers itself when no reply was sent yet).
     */
    void onFailure(Throwable cause);

    /** The most this reader accepts; more is answered with 413. Unlimited by default (it streams). */
    default long maxBytes() { return Long.MAX_VALUE; }
}
