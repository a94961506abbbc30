package dev.weft.protocol.http1;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.Version;

import java.nio.ByteBuffer;

/**
 * What {@link Http1Parser#next()} returns: a message head, a piece of body, the end of a message,
 * or a {@link Signal} that says why there is nothing more for now.
 */
public sealed interface Http1Event {
    /**
     * A request head (server role). {@code framing} is the body's framing as decided by RFC 9112
     * §6.3; {@code keepAlive} whether the connection may carry another request after this one
     * (§9.3); {@code expectContinue} whether the client waits for {@code 100 Continue} before it
     * sends the body (RFC 9110 §10.1.1); {@code upgrade} whether it asks to switch protocols
     * (RFC 9110 §7.8: an Upgrade field named in Connection).
     */
    record RequestHead(Method method, RequestTarget target, Version version, Headers headers,
                       BodyFraming framing, boolean keepAlive, boolean expectContinue, boolean upgrade)
            implements Http1Event {}

    /** A response head (client role); a 1xx head is followed by its EndOfMessage, then the final response. */
    record ResponseHead(Version version, Status status, Headers headers, BodyFraming framing, boolean keepAlive)
            implements Http1Event {}

    /**
     * A piece of body. {@code bytes} is a read-only view into the buffer last fed, valid until the
     * next call to {@link Http1Parser#next()} or {@link Http1Parser#feed}; {@link #copy()} keeps it.
     */
    record Body(ByteBuffer bytes) implements Http1Event {
        public byte[] copy() {
            var a = new byte[bytes.remaining()];
            bytes.duplicate().get(a);
            return a;
        }
    }

    /** The message is complete; {@code trailers} is empty unless a chunked body sent some. */
    record EndOfMessage(Headers trailers) implements Http1Event {
        /** The end of a message without trailers; shared, so ending a message allocates nothing. */
        public static final EndOfMessage NO_TRAILERS = new EndOfMessage(Headers.empty());
    }

    /** Singletons, so asking again costs no garbage. */
    enum Signal implements Http1Event {
        /** Every byte fed so far is consumed: feed more (or {@link Http1Parser#feedEnd()}). */
        NEED_MORE,
        /**
         * HTTP/1.1 stops here until the caller decides: after an Upgrade or CONNECT request, a 101
         * response, or a 2xx answer to CONNECT. Unparsed bytes stay in the fed buffer; call
         * {@link Http1Parser#resume()} to go on parsing HTTP/1.1 instead.
         */
        PAUSED,
        /** No more messages will come on this connection: the peer closed, or the last message said close. */
        CLOSED
    }
}
