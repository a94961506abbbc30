package dev.weft.protocol.http;

/** Our caller misused a codec (a body after the end, a second reply): a bug, so it keeps its trace. */
public final class UsageViolation extends ProtocolException {
    public UsageViolation(String detail) {
        super(detail, true);
    }
}
