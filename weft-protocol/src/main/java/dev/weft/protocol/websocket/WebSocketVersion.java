package dev.weft.protocol.websocket;

/**
 * The WebSocket protocol versions a handshake can settle on. The three numbered ones share one
 * framing ({@link FrameDecoder}, {@link FrameEncoder}); the two legacy ones share another
 * ({@link HixieDecoder}, {@link HixieEncoder}) and are only ever accepted when asked for.
 */
public enum WebSocketVersion {
    /** draft-hixie-thewebsocketprotocol-75 (2010): no key, no closing handshake. Legacy. */
    HIXIE_75(-1),
    /** draft-hixie-thewebsocketprotocol-76, also published as draft-ietf-hybi-thewebsocketprotocol-00. Legacy. */
    HIXIE_76(0),
    /** draft-ietf-hybi-thewebsocketprotocol-07: {@code Sec-WebSocket-Version: 7}, {@code Sec-WebSocket-Origin}. */
    HYBI_07(7),
    /** drafts -08 to -12, which all say {@code Sec-WebSocket-Version: 8}, with {@code Sec-WebSocket-Origin}. */
    HYBI_08(8),
    /** RFC 6455 (drafts -13 to -17): {@code Sec-WebSocket-Version: 13}, {@code Origin}. */
    RFC_6455(13);

    private final int number;

    WebSocketVersion(int number) { this.number = number; }

    /** The {@code Sec-WebSocket-Version} value; 0 and -1 for the legacy drafts, which send none. */
    public int number() { return number; }

    /** True for hixie-75 and -76, with their own framing (see {@link ServerHandshake.Options}). */
    public boolean isLegacy() { return number <= 0; }
}
