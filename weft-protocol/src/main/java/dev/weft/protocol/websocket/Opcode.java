package dev.weft.protocol.websocket;

/** The frame opcodes RFC 6455 §5.2 defines; every other value is reserved and fails the connection. */
enum Opcode {
    CONTINUATION(0x0), TEXT(0x1), BINARY(0x2), CLOSE(0x8), PING(0x9), PONG(0xA);

    private static final Opcode[] BY_CODE = new Opcode[16];

    static {
        for (Opcode o : values()) BY_CODE[o.code] = o;
    }

    final int code;

    Opcode(int code) { this.code = code; }

    /** The opcode with this 4-bit value, or null for a reserved one (0x3-0x7, 0xB-0xF). */
    static Opcode of(int code) { return BY_CODE[code & 0xF]; }

    /** Control frames have the high bit of the opcode set (RFC 6455 §5.5). */
    boolean isControl() { return code >= 0x8; }

    static Opcode of(MessageType type) { return type == MessageType.TEXT ? TEXT : BINARY; }
}
