package dev.weft.protocol.websocket;

/**
 * Every way a peer can break the WebSocket protocol, with the close code to send before closing
 * and the rule broken (ARCHITECTURE.md convention 5, like the HTTP codec's Violation carries a
 * status). Tests match on these constants, never on messages.
 */
public enum WebSocketViolation {
    // -- frame header (RFC 6455 §5.2) --
    RESERVED_BITS(CloseCodes.PROTOCOL_ERROR, "RFC 6455 §5.2"),
    UNKNOWN_OPCODE(CloseCodes.PROTOCOL_ERROR, "RFC 6455 §5.2"),
    UNMASKED_CLIENT_FRAME(CloseCodes.PROTOCOL_ERROR, "RFC 6455 §5.1"),
    MASKED_SERVER_FRAME(CloseCodes.PROTOCOL_ERROR, "RFC 6455 §5.1"),
    NON_MINIMAL_LENGTH(CloseCodes.PROTOCOL_ERROR, "RFC 6455 §5.2"),
    LENGTH_HIGH_BIT(CloseCodes.PROTOCOL_ERROR, "RFC 6455 §5.2"),
    // -- control frames (§5.5) --
    CONTROL_FRAME_TOO_LONG(CloseCodes.PROTOCOL_ERROR, "RFC 6455 §5.5"),
    FRAGMENTED_CONTROL_FRAME(CloseCodes.PROTOCOL_ERROR, "RFC 6455 §5.5"),
    CLOSE_PAYLOAD_TOO_SHORT(CloseCodes.PROTOCOL_ERROR, "RFC 6455 §5.5.1"),
    BAD_CLOSE_CODE(CloseCodes.PROTOCOL_ERROR, "RFC 6455 §7.4"),
    CLOSE_REASON_NOT_UTF8(CloseCodes.PROTOCOL_ERROR, "RFC 6455 §5.5.1"),
    // -- fragmentation (§5.4) --
    CONTINUATION_WITHOUT_START(CloseCodes.PROTOCOL_ERROR, "RFC 6455 §5.4"),
    DATA_FRAME_INSIDE_MESSAGE(CloseCodes.PROTOCOL_ERROR, "RFC 6455 §5.4"),
    // -- payload --
    INVALID_UTF8(CloseCodes.INVALID_PAYLOAD_DATA, "RFC 6455 §8.1"),
    BAD_COMPRESSED_DATA(CloseCodes.INVALID_PAYLOAD_DATA, "RFC 7692 §7.2.2"),
    // -- limits (WebSocketLimits) --
    FRAME_TOO_LARGE(CloseCodes.MESSAGE_TOO_BIG, "RFC 6455 §7.4.1"),
    MESSAGE_TOO_LARGE(CloseCodes.MESSAGE_TOO_BIG, "RFC 6455 §7.4.1"),
    // -- the legacy framing of draft-hixie-76 §5.3, which has no close codes: the code is for logs --
    BAD_LEGACY_FRAME(CloseCodes.PROTOCOL_ERROR, "draft-hixie-thewebsocketprotocol-76 §5.3");

    private final int closeCode;
    private final String rfc;

    WebSocketViolation(int closeCode, String rfc) {
        this.closeCode = closeCode;
        this.rfc = rfc;
    }

    /** The code to send in our Close frame before closing: 1002, 1007 or 1009. */
    public int closeCode() { return closeCode; }

    /** The rule that was broken, e.g. {@code RFC 6455 §5.2}. */
    public String rfc() { return rfc; }
}
