package dev.weft.server;

import dev.weft.net.ConnectionHandler;

/**
 * The protocol a connection speaks after a request switched it away from HTTP/1.1 (RFC 9110
 * §7.8, a WebSocket say): from then on it receives the connection's callbacks in place of the
 * server's HTTP/1.1 handler. {@code onOpen} runs at the switch; bytes the client sent after the
 * upgrading request come next, in {@code onRead}. Loop thread, as every ConnectionHandler.
 */
public interface UpgradedConnection extends ConnectionHandler {
    /**
     * The server is stopping gracefully: end this connection the way its protocol does (a
     * WebSocket sends close 1001 and waits a little for the reply). Default: close.
     */
    default void drain(dev.weft.net.Connection c) { c.close(); }
}
