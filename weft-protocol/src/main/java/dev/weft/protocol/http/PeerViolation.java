package dev.weft.protocol.http;

/**
 * The peer broke the protocol: answer {@code violation().status()}, then close. Expected input
 * from the network, so it carries no stack trace and is logged at DEBUG (ARCHITECTURE.md rule 6).
 */
public final class PeerViolation extends ProtocolException {
    private final Violation violation;

    public PeerViolation(Violation violation, String detail) {
        super(violation + " (" + violation.rfc() + "): " + detail, false);
        this.violation = violation;
    }

    public Violation violation() { return violation; }
}
