package dev.weft.protocol.http;

/**
 * Every way a peer can break HTTP/1.1 framing, or overrun the limits of an event stream, with
 * the status a server answers and the rule broken (ARCHITECTURE.md convention 5). Tests match on
 * these constants, never on messages.
 *
 * <p>For violations found in a response (client role), the status is what a gateway would
 * answer (502); the client itself answers nothing and closes. An event stream is only ever
 * read by a client, so its violations are all of that kind.
 */
public enum Violation {
    // -- sizes (limits in Http1Limits) --
    REQUEST_LINE_TOO_LONG(Status.URI_TOO_LONG, "RFC 9112 §3"),
    HEADER_SECTION_TOO_LARGE(Status.REQUEST_HEADER_FIELDS_TOO_LARGE, "RFC 6585 §5"),
    TOO_MANY_FIELDS(Status.REQUEST_HEADER_FIELDS_TOO_LARGE, "RFC 6585 §5"),
    BODY_TOO_LARGE(Status.CONTENT_TOO_LARGE, "RFC 9110 §15.5.14"),
    CHUNK_EXTENSION_TOO_LONG(Status.BAD_REQUEST, "RFC 9112 §7.1.1"),
    // -- start line --
    BAD_REQUEST_LINE(Status.BAD_REQUEST, "RFC 9112 §3"),
    BAD_METHOD(Status.BAD_REQUEST, "RFC 9110 §9.1"),
    BAD_TARGET(Status.BAD_REQUEST, "RFC 9112 §3.2"),
    BAD_VERSION(Status.BAD_REQUEST, "RFC 9112 §2.3"),
    VERSION_NOT_SUPPORTED(Status.HTTP_VERSION_NOT_SUPPORTED, "RFC 9110 §15.6.6"),
    BAD_STATUS_LINE(Status.BAD_GATEWAY, "RFC 9112 §4"),
    // -- line endings --
    BARE_CR(Status.BAD_REQUEST, "RFC 9112 §2.2"),
    BARE_LF(Status.BAD_REQUEST, "RFC 9112 §2.2"),
    // -- field lines --
    BAD_FIELD_NAME(Status.BAD_REQUEST, "RFC 9110 §5.1"),
    WHITESPACE_BEFORE_COLON(Status.BAD_REQUEST, "RFC 9112 §5.1"),
    OBS_FOLD(Status.BAD_REQUEST, "RFC 9112 §5.2"),
    BAD_FIELD_VALUE(Status.BAD_REQUEST, "RFC 9110 §5.5"),
    MISSING_HOST(Status.BAD_REQUEST, "RFC 9112 §3.2"),
    DUPLICATE_HOST(Status.BAD_REQUEST, "RFC 9112 §3.2"),
    BAD_HOST(Status.BAD_REQUEST, "RFC 9112 §3.2"),
    // -- body framing --
    LENGTH_AND_CHUNKED(Status.BAD_REQUEST, "RFC 9112 §6.1"),
    BAD_CONTENT_LENGTH(Status.BAD_REQUEST, "RFC 9110 §8.6"),
    CONFLICTING_CONTENT_LENGTH(Status.BAD_REQUEST, "RFC 9112 §6.3"),
    UNSUPPORTED_TRANSFER_CODING(Status.NOT_IMPLEMENTED, "RFC 9112 §6.1"),
    CHUNKED_NOT_FINAL(Status.BAD_REQUEST, "RFC 9112 §6.3"),
    TRANSFER_ENCODING_IN_HTTP_1_0(Status.BAD_REQUEST, "RFC 9112 §6.1"),
    BAD_CHUNK_SIZE(Status.BAD_REQUEST, "RFC 9112 §7.1"),
    CHUNK_SIZE_OVERFLOW(Status.BAD_REQUEST, "RFC 9112 §7.1"),
    BAD_CHUNK_END(Status.BAD_REQUEST, "RFC 9112 §7.1"),
    BAD_CHUNK_EXTENSION(Status.BAD_REQUEST, "RFC 9112 §7.1.1"),
    // -- message sequence --
    INCOMPLETE_MESSAGE(Status.BAD_REQUEST, "RFC 9112 §8"),
    UNEXPECTED_RESPONSE(Status.BAD_GATEWAY, "RFC 9112 §9.3"),
    // -- event streams (limits in dev.weft.protocol.sse.SseLimits; the format itself has no wrong bytes) --
    SSE_LINE_TOO_LONG(Status.BAD_GATEWAY, "WHATWG HTML §9.2.5"),
    SSE_EVENT_TOO_LARGE(Status.BAD_GATEWAY, "WHATWG HTML §9.2.6");

    private final Status status;
    private final String rfc;

    Violation(Status status, String rfc) {
        this.status = status;
        this.rfc = rfc;
    }

    /** What a server answers before it closes. */
    public Status status() { return status; }

    /** The rule that was broken, e.g. {@code RFC 9112 §6.1}, or the section whose stream overran a limit. */
    public String rfc() { return rfc; }
}
