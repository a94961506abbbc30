package dev.weft.protocol.http;

/**
 * A protocol error: either the peer's fault ({@link PeerViolation}) or the caller's
 * ({@link UsageViolation}). Matched by type and {@link Violation}, never by message.
 */
public sealed abstract class ProtocolException extends RuntimeException permits PeerViolation, UsageViolation {
    ProtocolException(String detail, boolean trace) {
        super(detail, null, false, trace);
    }
}
