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
 * URI), a body in memory or written by a {@link BodySource} as it is sent, and an optional
 * deadline for the whole exchange (else the client's). Immutable; the request takes
 * {@code headers} and {@code body}.
 */
public record ClientRequest(Method method, URI uri, Headers headers, ByteBuffer body, Optional<Duration> timeout,
                            Optional<BodySource> source) {
    /**
     * A request body of unknown length, written as it is sent (chunked) by {@link #writeTo} on a
     * virtual thread of its own; a write parks while the connection is above its high-water mark,
     * and fails once the exchange is over (the server answered early, a deadline, a cancel).
     * Such a request is never retried: its body cannot be read twice.
     */
    @FunctionalInterface
    public interface BodySource {
        void writeTo(java.io.OutputStream out) throws java.io.IOException;
    }
    private static final ByteBuffer NONE = ByteBuffer.allocate(0).asReadOnlyBuffer();

    public ClientRequest {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(source, "source");
        body = body.asReadOnlyBuffer();
        if (source.isPresent() && body.hasRemaining()) throw new IllegalArgumentException("a body in memory or a source, not both");
        Origin.of(uri);                                    // checks the scheme and host now
    }

    /** A request whose body is in memory (or empty). */
    public ClientRequest(Method method, URI uri, Headers headers, ByteBuffer body, Optional<Duration> timeout) {
        this(method, uri, headers, body, timeout, Optional.empty());
    }

    /** A request whose body {@code source} writes as it is sent. */
    public static ClientRequest streamed(Method method, String uri, BodySource source) {
        return new ClientRequest(method, URI.create(uri), new Headers(), NONE, Optional.empty(), Optional.of(source));
    }

    public static ClientRequest get(String uri) { return of(Method.GET, uri, NONE); }

    public static ClientRequest post(String uri, byte[] body) { return of(Method.POST, uri, ByteBuffer.wrap(body)); }

    public static ClientRequest post(String uri, String body) { return post(uri, body.getBytes(StandardCharsets.UTF_8)); }

    public static ClientRequest of(Method method, String uri, ByteBuffer body) {
        return new ClientRequest(method, URI.create(uri), new Headers(), body, Optional.empty());
    }

    /** A copy with one more header field. */
    public ClientRequest header(String name, String value) {
        return new ClientRequest(method, uri, headers.copy().add(name, value), body, timeout, source);
    }

    /** A copy with a deadline for the whole exchange, from the call to the end of the response. */
    public ClientRequest timeout(Duration d) { return new ClientRequest(method, uri, headers, body, Optional.of(d), source); }

    /** The request-target (RFC 9112 §3.2.1, origin-form): path and query, "/" when empty. */
    String target() {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }
}
