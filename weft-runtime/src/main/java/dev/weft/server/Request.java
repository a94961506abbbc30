package dev.weft.server;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.http1.BodyFraming;
import dev.weft.protocol.http1.RequestTarget;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A request as the handler sees it: the parsed head, the route's path parameters, the peer's
 * address, a small map of attributes, and the body.
 *
 * <p>The body is read only when asked for: {@link #body()} in a {@link Handler#buffered} handler
 * or on a virtual thread, {@link #bodyStream()} on a virtual thread, {@link Exchange#readBody} on
 * the loop. The head may be read from any thread; the attributes map is safe for concurrent use.
 */
public final class Request {
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0).asReadOnlyBuffer();

    private final Method method;
    private final RequestTarget target;
    private final Version version;
    private final Headers headers;
    private final BodyFraming framing;
    private final Object peer;          // the Connection it came on, or an address (tests)
    private final RequestScope scope;
    private Map<String, String> pathParams = Map.of();
    private boolean upgrade;
    private volatile Map<String, Object> attributes;
    private volatile ByteBuffer body;
    private Exchange exchange;
    private BodyInputStream bodyStream;

    Request(Method method, RequestTarget target, Version version, Headers headers, BodyFraming framing,
            Object peer, RequestScope scope) {
        this.method = method;
        this.target = target;
        this.version = version;
        this.headers = headers;
        this.framing = framing;
        this.peer = peer;
        this.scope = scope;
        if (framing instanceof BodyFraming.Empty) body = NO_BYTES;
    }

    public Method method() { return method; }

    /** Whether the request asked to switch protocols: an Upgrade field listed in Connection (RFC 9110 §7.8). */
    public boolean isUpgrade() { return upgrade; }

    void markUpgrade() { upgrade = true; }

    /** The request-target as received (RFC 9112 §3.2), e.g. {@code /users/7?full=1}. */
    public RequestTarget target() { return target; }

    /** The path, still percent-encoded, e.g. {@code /users/7}. */
    public String path() { return target.path(); }

    /** The query without its {@code ?}, still encoded; "" when there is none. */
    public String query() { return target.query(); }

    /** The first value of query parameter {@code name}, form-decoded ({@code +} is a space). */
    public Optional<String> queryParam(String name) {
        for (String pair : query().split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) return Optional.of(eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return Optional.empty();
    }

    /**
     * The percent-decoded value of the route's {@code {name}} or {@code {name...}} segment.
     *
     * @throws IllegalArgumentException if the route that matched has no such parameter
     */
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) throw new IllegalArgumentException("no path parameter '" + name + "' in this route");
        return value;
    }

    /** Every path parameter of the route that matched. */
    public Map<String, String> pathParams() { return pathParams; }

    public Headers headers() { return headers; }

    public Version version() { return version; }

    /**
     * The peer's address. Made only when asked: a transport keeps it raw, and a server that never
     * asks (most never do) then holds no address object per connection.
     */
    public InetSocketAddress remoteAddress() {
        return peer instanceof dev.weft.net.Connection connection ? connection.remoteAddress() : (InetSocketAddress) peer;
    }

    /** Attributes for handlers and the code around them; thread-safe, created on first use. */
    public Map<String, Object> attributes() {
        Map<String, Object> a = attributes;
        if (a == null) {
            synchronized (this) {
                a = attributes;
                if (a == null) attributes = a = new ConcurrentHashMap<>(4);
            }
        }
        return a;
    }

    /** Whether a body follows the head (Content-Length or chunked, RFC 9112 §6.3). */
    public boolean hasBody() { return !(framing instanceof BodyFraming.Empty); }

    /** The declared Content-Length; empty for chunked bodies. */
    public OptionalLong contentLength() {
        return switch (framing) {
            case BodyFraming.Fixed(long n) -> OptionalLong.of(n);
            case BodyFraming.Empty _ -> OptionalLong.of(0);
            default -> OptionalLong.empty();
        };
    }

    /**
     * The whole body, read-only. Available in a {@link Handler#buffered} handler, and on a virtual
     * thread, where the first call reads the body (up to the server's body limit, else 413 and an
     * {@link UncheckedIOException} here).
     *
     * @throws UsageViolation on an event loop when the body was not buffered
     */
    public ByteBuffer body() {
        ByteBuffer b = body;
        if (b != null) return b.duplicate();
        if (!Thread.currentThread().isVirtual()) {
            throw new UsageViolation("the body was not buffered: wrap the handler in Handler.buffered, "
                    + "use Exchange.readBody, or use a Handler.Blocking");
        }
        try (InputStream in = openBody(scope.maxBodyBytes())) {
            body = b = ByteBuffer.wrap(in.readAllBytes()).asReadOnlyBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.duplicate();
    }

    /** The body as text, decoded as UTF-8. Same rules as {@link #body()}. */
    public String bodyText() { return StandardCharsets.UTF_8.decode(body()).toString(); }

    /**
     * The body as a blocking stream, read as it arrives with backpressure: the socket is read
     * only as fast as this stream is. For virtual threads only; once per request.
     *
     * @throws UsageViolation on a platform thread (an event loop must never block)
     */
    public InputStream bodyStream() {
        if (!Thread.currentThread().isVirtual()) throw new UsageViolation("bodyStream() blocks: virtual threads only");
        return openBody(Long.MAX_VALUE);
    }

    private synchronized InputStream openBody(long maxBytes) {
        if (bodyStream != null) throw new UsageViolation("the body stream was already opened");
        if (!hasBody()) return InputStream.nullInputStream();
        bodyStream = new BodyInputStream(exchange, maxBytes);
        return bodyStream;
    }

    /** The scoped values this request's server carries across threads. */
    List<ScopedValue<?>> carried() { return scope.carried(); }

    RequestScope scope() { return scope; }

    void route(Map<String, String> params) { pathParams = params; }

    void attach(Exchange exchange) { this.exchange = exchange; }

    void bufferedBody(byte[] bytes) { body = ByteBuffer.wrap(bytes).asReadOnlyBuffer(); }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException badEscape) {
            return s;                                   // a stray '%' is the client's text, not our failure
        }
    }

    @Override public String toString() { return method + " " + target + " " + version; }
}
