package dev.weft.protocol.websocket;

/**
 * Field names of the opening handshakes, spelled as the specifications spell them: lookups
 * ignore case (RFC 9110 §5.1), and responses written this way suit the legacy clients that
 * compared names exactly.
 */
final class HandshakeFields {
    private HandshakeFields() {}

    static final String UPGRADE = "Upgrade";
    static final String CONNECTION = "Connection";
    static final String HOST = "Host";
    static final String ORIGIN = "Origin";
    static final String ALLOW = "Allow";
    static final String SEC_WEBSOCKET_KEY = "Sec-WebSocket-Key";
    static final String SEC_WEBSOCKET_ACCEPT = "Sec-WebSocket-Accept";
    static final String SEC_WEBSOCKET_VERSION = "Sec-WebSocket-Version";
    static final String SEC_WEBSOCKET_PROTOCOL = "Sec-WebSocket-Protocol";
    static final String SEC_WEBSOCKET_EXTENSIONS = "Sec-WebSocket-Extensions";
    /** hybi-07 to -10 send the page's origin here instead of in Origin. */
    static final String SEC_WEBSOCKET_ORIGIN = "Sec-WebSocket-Origin";
    // draft-hixie-76
    static final String SEC_WEBSOCKET_KEY1 = "Sec-WebSocket-Key1";
    static final String SEC_WEBSOCKET_KEY2 = "Sec-WebSocket-Key2";
    static final String SEC_WEBSOCKET_LOCATION = "Sec-WebSocket-Location";
    // draft-hixie-75
    static final String WEBSOCKET_ORIGIN = "WebSocket-Origin";
    static final String WEBSOCKET_LOCATION = "WebSocket-Location";
    static final String WEBSOCKET_PROTOCOL = "WebSocket-Protocol";
}
