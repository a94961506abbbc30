package dev.weft.websocket;

import java.nio.ByteBuffer;

/**
 * What a WebSocket's owner is told, on the connection's loop and, on a server, in the context of
 * the request that opened it. Callbacks must not block: code that blocks is written against
 * {@link BlockingWebSocket}, which runs it on a virtual thread. Messages come whole: the pieces of a
 * fragmented message are joined, up to the message limit.
 */
public interface WebSocketHandler {
    default void onOpen(WebSocket ws) {}

    default void onText(WebSocket ws, String text) {}

    /** {@code bytes} is the handler's own copy. */
    default void onBinary(WebSocket ws, ByteBuffer bytes) {}

    default void onPong(WebSocket ws, ByteBuffer payload) {}

    /**
     * The WebSocket is over, once: {@code code} is what the peer sent in its Close (1005 when it
     * sent none), 1006 when the connection ended without a Close, or the code we closed with for
     * a protocol error (1002, 1007, 1009) or a missing pong (1006).
     */
    default void onClose(WebSocket ws, int code, String reason) {}
}
