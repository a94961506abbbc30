package dev.weft.protocol.http1;

import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Version;

import java.util.Objects;

/**
 * What the server knows about the request it answers: the method (HEAD changes the framing,
 * RFC 9110 §9.3.2), the version (HTTP/1.0 gets no chunked coding, RFC 9112 §6.1) and whether the
 * connection may carry another request after this one (RFC 9112 §9.3).
 */
public record RequestInfo(Method method, Version version, boolean keepAlive) {
    public RequestInfo {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(version, "version");
    }

    /** The parts of a parsed request head the writer needs. */
    public static RequestInfo of(Http1Event.RequestHead head) {
        return new RequestInfo(head.method(), head.version(), head.keepAlive());
    }
}
