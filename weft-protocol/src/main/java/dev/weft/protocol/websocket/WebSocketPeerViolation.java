package dev.weft.protocol.websocket;

/**
 * The peer broke the WebSocket protocol: send a Close frame with {@code closeCode()}, then close
 * (RFC 6455 §7.1.7, "Fail the WebSocket Connection"). Expected input from the network, so it
 * carries no stack trace and is logged at DEBUG (ARCHITECTURE.md rule 6). The caller's mistakes
 * are {@link dev.weft.protocol.http.UsageViolation}s, as in the HTTP codec.
 */
public final class WebSocketPeerViolation extends RuntimeException {
    private final WebSocketViolation violation;

    public WebSocketPeerViolation(WebSocketViolation violation, String detail) {
        super(violation + " (" + violation.rfc() + "): " + detail, null, false, false);
        this.violation = violation;
    }

    public WebSocketViolation violation() { return violation; }

    /** Shorthand for {@code violation().closeCode()}. */
    public int closeCode() { return violation.closeCode(); }
}
