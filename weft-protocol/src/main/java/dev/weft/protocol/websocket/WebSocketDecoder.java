package dev.weft.protocol.websocket;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;

/**
 * A sans-IO WebSocket reader: bytes in through {@link #feed}, events out of {@link #next()}
 * (ARCHITECTURE.md convention 1). {@link FrameDecoder} reads the framing of RFC 6455 and of the
 * hybi-07 and -08 drafts; {@link HixieDecoder} the legacy framing of hixie-75 and -76.
 *
 * <pre>{@code
 * decoder.feed(readBuffer);                                   // on the connection's loop
 * for (;;) {
 *     switch (decoder.next()) {
 *         case MessageStart(var type) -> message.begin(type);
 *         case Data(var bytes)        -> message.append(bytes);    // copy: the view is lent
 *         case MessageEnd _           -> app.onMessage(message.finish());
 *         case Ping(var payload)      -> encoder.pong(payload, out);
 *         case Pong _                 -> heartbeat.answered();
 *         case Close(int code, var r) -> { encoder.close(code, "", out); closeAfterFlush(); return; }
 *         case Signal.NEED_MORE       -> { return; }
 *         case Signal.CLOSED, Signal.END_WITHOUT_CLOSE -> { close(); return; }
 *     }
 * }
 * }</pre>
 *
 * Errors: a peer's fault is a {@link WebSocketPeerViolation} carrying the close code to send;
 * once thrown, every later {@link #next()} rethrows the same instance and {@link #feed} is
 * ignored. A caller's fault is a {@link dev.weft.protocol.http.UsageViolation}. Nothing else
 * escapes. Not thread-safe: a decoder belongs to its connection's loop (ARCHITECTURE.md rule 1).
 */
public sealed interface WebSocketDecoder permits FrameDecoder, HixieDecoder {
    /**
     * The decoder a server reads with once it accepted {@code version}: a {@link FrameDecoder}
     * for 13, 8 and 7, inflating if {@code deflate} is present; a {@link HixieDecoder} for the
     * legacy drafts, which have no extensions.
     */
    static WebSocketDecoder server(WebSocketVersion version, WebSocketLimits limits, Optional<PerMessageDeflate> deflate) {
        Objects.requireNonNull(deflate, "deflate");
        if (version.isLegacy()) return new HixieDecoder(limits);
        return deflate.isPresent() ? FrameDecoder.server(limits, deflate.get()) : FrameDecoder.server(limits);
    }

    /** The decoder a client reads with after an accepted handshake (version 13). */
    static WebSocketDecoder client(WebSocketLimits limits, Optional<PerMessageDeflate> deflate) {
        return deflate.isPresent() ? FrameDecoder.client(limits, deflate.get()) : FrameDecoder.client(limits);
    }

    /**
     * Hands the decoder the buffer's bytes from position to limit; {@link #next()} reads them,
     * advancing the position. NEED_MORE comes only once every byte is consumed, so the caller may
     * then reuse the buffer; a decoder keeps no reference to it past that point. Feeding while the
     * previous buffer still has unconsumed bytes is a UsageViolation, and so is feeding after
     * {@link #feedEnd()}. The decoder may write into the buffer (see {@link FrameDecoder}).
     */
    void feed(ByteBuffer bytes);

    /** The peer closed its sending side: once the bytes fed are read, {@code next()} ends the stream. */
    void feedEnd();

    /**
     * One event or signal.
     *
     * @throws WebSocketPeerViolation when the peer broke the protocol; later calls rethrow it
     */
    WebSocketEvent next();
}
