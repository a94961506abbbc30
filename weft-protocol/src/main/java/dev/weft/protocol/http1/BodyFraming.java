package dev.weft.protocol.http1;

/**
 * How a message body is delimited (RFC 9112 §6.3). Decided once, from the head, and applied to
 * every later piece; nobody else asks "is it chunked?".
 */
public sealed interface BodyFraming {
    /** {@code Content-Length: n}. */
    record Fixed(long length) implements BodyFraming {
        public Fixed {
            if (length < 0) throw new IllegalArgumentException("negative length: " + length);
        }
    }

    /** {@code Transfer-Encoding: chunked} (RFC 9112 §7.1). */
    record Chunked() implements BodyFraming {}

    /** The body ends when the connection closes: responses only, never a request (RFC 9112 §6.3). */
    record UntilClose() implements BodyFraming {}

    /** No body at all: 1xx, 204, 304, a reply to HEAD, a request without length. */
    record Empty() implements BodyFraming {}

    BodyFraming CHUNKED = new Chunked();
    BodyFraming UNTIL_CLOSE = new UntilClose();
    BodyFraming EMPTY = new Empty();
}
