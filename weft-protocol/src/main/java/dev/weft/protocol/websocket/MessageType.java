package dev.weft.protocol.websocket;

/** The two kinds of data message (RFC 6455 §5.6): UTF-8 text, or bytes the application interprets. */
public enum MessageType {
    /** Opcode 0x1: the payload must be valid UTF-8 (RFC 6455 §8.1). */
    TEXT,
    /** Opcode 0x2. */
    BINARY
}
