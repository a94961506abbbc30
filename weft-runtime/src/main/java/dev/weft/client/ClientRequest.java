package dev.weft.client;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to send: method, absolute {@code http://} URI, header fields (Host is added from the
 * URI), an optional body in memory, and an optional deadline for the whole exchange (else the
 * client's). Immutable; the request takes {@code headers} and {@code body}.
 */
public record ClientRequest(Method method, URI uri, Headers headers, ByteBuffer body, Optional<Duration> timeout) {
    private static final ByteBuffer NONE = ByteBuffer.allocate(0).asReadOnlyBuffer();

    public ClientRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(timeout, "timeout");
        body = body.asReadOnlyBuffer();
        Origin.of(uri);                                    // checks the scheme and host now
    }

    public static ClientRequest get(String uri) { return of(Method.GET, uri, NONE); }

    public static ClientRequest post(String uri, byte[] body) { return of(Method.POST, uri, ByteBuffer.wrap(body)); }

    public static ClientRequest post(String uri, String body) { return post(uri, body.getBytes(StandardCharsets.UTF_8)); }

    public static ClientRequest of(Method method, String uri, ByteBuffer body) {
        return new ClientRequest(method, URI.create(uri), new Headers(), body, Optional.empty());
    }

    /** A copy with one more header field. */
    public ClientRequest header(String name, String value) {
        return new ClientRequest(method, uri, headers.copy().add(name, value), body, timeout);
    }

    /** A copy with a deadline for the whole exchange, from the call to the end of the response. */
    public ClientRequest timeout(Duration d) { return new ClientRequest(method, uri, headers, body, Optional.of(d)); }

    /** The request-target (RFC 9112 §3.2.1, origin-form): path and query, "/" when empty. */
    String target() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
}
