package dev.weft.protocol.websocket;

/**
 * Close codes (RFC 6455 §7.4.1 and the IANA "WebSocket Close Code Number Registry"), and which of
 * them may appear in a Close frame. Codes are plain ints because applications may use any code
 * in 3000-4999 (§7.4.2); these constants name the ones the protocol defines.
 */
public final class CloseCodes {
    private CloseCodes() {}

    public static final int NORMAL_CLOSURE = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    /** Reported when a Close frame carried no code; never sent (§7.4.1). */
    public static final int NO_STATUS_RECEIVED = 1005;
    /** Reported when the connection ended without a Close frame; never sent (§7.4.1). */
    public static final int ABNORMAL_CLOSURE = 1006;
    public static final int INVALID_PAYLOAD_DATA = 1007;
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;
    public static final int MANDATORY_EXTENSION = 1010;
    public static final int INTERNAL_ERROR = 1011;
    public static final int SERVICE_RESTART = 1012;
    public static final int TRY_AGAIN_LATER = 1013;
    public static final int BAD_GATEWAY = 1014;
    /** Reported when the TLS handshake failed; never sent (§7.4.1). */
    public static final int TLS_HANDSHAKE = 1015;

    /**
     * True if {@code code} may be sent in a Close frame: 1000-1003 and 1007-1014 (defined by
     * RFC 6455 §7.4.1 or registered with IANA since), and 3000-4999 (libraries and applications,
     * §7.4.2). Not 0-999 (unused), 1004 (reserved), 1005, 1006 and 1015 (reports, never sent),
     * 1016-2999 (for future RFCs) or 5000 and above (undefined).
     */
    public static boolean isSendable(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }
}
