package dev.weft.protocol.websocket;

import dev.weft.protocol.http.ByteSink;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A sans-IO WebSocket writer: messages in, frames out into a {@link ByteSink} the caller owns
 * (ARCHITECTURE.md convention 2). {@link FrameEncoder} writes RFC 6455 frames (hybi-07 and -08
 * too); {@link HixieEncoder} the legacy framing, which knows text and close only.
 *
 * <p>Payload buffers: the encoder writes a buffer's remaining bytes, by reference when they can
 * go as they are, else copied. Either way the caller hands the buffer over and must not change
 * or reuse it afterwards ({@link ByteSink#write(ByteBuffer)}'s contract).
 *
 * <p>Order: a message sent with {@link #fragment} must be finished before another data message
 * starts, though pings, pongs and a close may go between its fragments (RFC 6455 §5.4). After
 * {@link #close}, nothing more may be sent (§5.5.1). Breaking either is a
 * {@link dev.weft.protocol.http.UsageViolation}, and so is a control payload over 125 bytes.
 * Not thread-safe: an encoder belongs to its connection's loop.
 */
public sealed interface WebSocketEncoder permits FrameEncoder, HixieEncoder {
    /** The encoder a server writes with once it accepted {@code version}; see {@link WebSocketDecoder#server}. */
    static WebSocketEncoder server(WebSocketVersion version, Optional<PerMessageDeflate> deflate) {
        Objects.requireNonNull(deflate, "deflate");
        if (version.isLegacy()) return new HixieEncoder();
        return deflate.isPresent() ? FrameEncoder.server(deflate.get()) : FrameEncoder.server();
    }

    /** The encoder a client writes with after an accepted handshake; {@code masks} as in {@link FrameEncoder#client}. */
    static WebSocketEncoder client(RandomGenerator masks, Optional<PerMessageDeflate> deflate) {
        return deflate.isPresent() ? FrameEncoder.client(masks, deflate.get()) : FrameEncoder.client(masks);
    }

    /** One text message, encoded as UTF-8; a lone surrogate in {@code text} is a UsageViolation. */
    void text(CharSequence text, ByteSink out);

    /** One binary message. */
    void binary(ByteBuffer payload, ByteSink out);

    /** One message of {@code type}; for TEXT, the bytes must be UTF-8 (the peer fails the connection otherwise). */
    void message(MessageType type, ByteBuffer payload, ByteSink out);

    /**
     * A piece of a message sent in fragments (RFC 6455 §5.4): the first call starts a message of
     * {@code type}, later calls continue it with the same type, and the call with {@code last}
     * ends it. A text message may be cut inside a character.
     */
    void fragment(MessageType type, ByteBuffer piece, boolean last, ByteSink out);

    /** A Ping carrying at most 125 bytes (RFC 6455 §5.5.2). */
    void ping(ByteBuffer payload, ByteSink out);

    /** A Pong carrying at most 125 bytes: the Ping's payload when it answers one (§5.5.3). */
    void pong(ByteBuffer payload, ByteSink out);

    /**
     * The Close frame (RFC 6455 §5.5.1): {@code code} must be one that may be sent
     * ({@link CloseCodes#isSendable}), or {@link CloseCodes#NO_STATUS_RECEIVED} for a Close with no
     * payload (and then an empty reason); {@code reason} takes at most 123 bytes of UTF-8.
     */
    void close(int code, String reason, ByteSink out);

    /** True once {@link #close} was called: nothing more may be sent. */
    boolean isClosed();
}
