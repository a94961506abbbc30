package dev.weft.websocket;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * One open WebSocket (RFC 6455), server or client side. Every method may be called from any
 * thread; sends are queued on the connection's loop in call order.
 *
 * <p>Backpressure: a send's stage completes once the connection is below its high-water mark
 * again, so a producer that waits for its stages (or polls {@link #isWritable()}) holds at most
 * about twice the mark. One that ignores both is cut off: with four times the mark queued, a send
 * fails with a {@link dev.weft.protocol.http.UsageViolation} and the connection closes (1011).
 */
public interface WebSocket {
    /** A text message. */
    CompletionStage<Void> sendText(CharSequence text);

    /** A binary message; the socket takes the buffer: do not change it afterwards. */
    CompletionStage<Void> sendBinary(ByteBuffer bytes);

    /**
     * Whether {@link #sendEncoded} may be used: a server's WebSocket (RFC 6455 framing) without a
     * negotiated compression, whose frames are the same bytes whatever the connection.
     */
    default boolean acceptsEncoded() { return false; }

    /**
     * Writes {@code frames}, one or more whole frames encoded by a server's
     * {@code FrameEncoder} without compression, as they are: how a message encoded once goes to
     * many WebSockets. The buffer is not changed (a view of it is written). Only where
     * {@link #acceptsEncoded()}; elsewhere an {@link UnsupportedOperationException}.
     */
    default CompletionStage<Void> sendEncoded(ByteBuffer frames) {
        throw new UnsupportedOperationException("this WebSocket cannot take pre-encoded frames");
    }

    /**
     * Holds the connection's output to these water marks from now on (see
     * {@code Connection.setWatermarks}): lower ones keep less in memory for a peer that reads slowly.
     */
    default void writeWatermarks(int high, int low) {}

    /**
     * Stops reading from the peer until {@link #resumeReading}: inbound backpressure for a
     * consumer that falls behind. Messages already read still arrive (at most one read's worth);
     * the peer's silence meanwhile does not count against it (no ping deadline runs).
     */
    default void suspendReading() {}

    /** Reads again after {@link #suspendReading}. */
    default void resumeReading() {}

    /** Loop thread: the connection's TCP_INFO (round-trip time, congestion window), where the transport can ask. */
    default java.util.Optional<dev.weft.loop.spi.TcpInfo> tcpInfo() { return java.util.Optional.empty(); }

    /** A Ping of at most 125 bytes; the Pong comes to {@link WebSocketHandler#onPong}. */
    CompletionStage<Void> ping(ByteBuffer payload);

    /**
     * Starts the closing handshake (RFC 6455 §7.1.2): a Close frame with {@code code} and
     * {@code reason}, then the connection closes when the peer answers, or after the close
     * deadline. Idempotent.
     */
    void close(int code, String reason);

    /** False once a Close was sent or received, or the connection ended. */
    boolean isOpen();

    /** Below the connection's high-water mark, as the loop last saw it. */
    boolean isWritable();

    /** The subprotocol agreed in the handshake, if any. */
    Optional<String> subprotocol();

    InetSocketAddress remoteAddress();
}
