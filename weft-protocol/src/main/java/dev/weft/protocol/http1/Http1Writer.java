package dev.weft.protocol.http1;

import dev.weft.protocol.http.ByteSink;
import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.internal.Ascii;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Writes HTTP/1.1 message heads for both roles and decides, once, how the body that follows is
 * framed (ARCHITECTURE.md convention 2). A {@link BodyEncoder} made from the returned {@link BodyFraming}
 * frames every later piece; nothing else asks "is it chunked?".
 *
 * <h2>Theory of operation (server role)</h2>
 * <ol>
 *   <li>A 1xx status is an interim response: status line and the caller's fields, minus any
 *       Content-Length or Transfer-Encoding (RFC 9110 §8.6, RFC 9112 §6.1). Framing {@code EMPTY}.</li>
 *   <li>The caller's {@code Content-Length} field, if any, is checked (one field, digits only,
 *       equal to {@code contentLength} when that is given too) and wins over the argument.</li>
 *   <li>The framing, by RFC 9112 §6.3: a reply to HEAD, 204 or 304 has no body ({@code EMPTY});
 *       a known length is {@code Fixed}; {@link #NO_BODY} is {@code Fixed(0)}; an unknown length
 *       is {@code CHUNKED} for an HTTP/1.1 request and {@code UNTIL_CLOSE} for HTTP/1.0, which
 *       cannot decode chunks (RFC 9112 §6.1), and for a response that says
 *       {@code Connection: close} itself.</li>
 *   <li>The head: status line, the caller's fields as spelled (a 204 loses Content-Length and
 *       Transfer-Encoding), then the fields the writer adds, in canonical case: Content-Length or
 *       Transfer-Encoding, Connection, Date.</li>
 *   <li>Connection: {@link #willClose} decides, in one place, whether the connection closes after
 *       this response; if so and the caller did not say {@code close}, the writer does (RFC 9112
 *       §9.6). An HTTP/1.0 request that asked for keep-alive and keeps it hears
 *       {@code Connection: keep-alive} (RFC 9112 §C.2.2), since HTTP/1.0 assumes close.</li>
 * </ol>
 * The status line always says HTTP/1.1, also to HTTP/1.0 requests: a server sends its own highest
 * minor version (RFC 9110 §6.2), and the framing above stays within what HTTP/1.0 understands.
 *
 * <p>Every head is formatted into one reused scratch array and handed to the sink in a single
 * {@link ByteSink#write(byte[], int, int)}, which copies it. All checks run before anything is
 * written, so a {@link UsageViolation} leaves the sink untouched. Not thread-safe: one per loop.
 */
public final class Http1Writer {
    /** {@code contentLength}: the message has no body at all. */
    public static final long NO_BODY = -2;
    /** {@code contentLength}: the body is streamed and its length is not known yet. */
    public static final long UNKNOWN_LENGTH = -1;

    private static final byte[][] STATUS_LINES = statusLines();
    private static final byte[] HTTP_1_1_SP = ascii("HTTP/1.1 ");
    private static final byte[] SP_HTTP_1_1_CRLF = ascii(" HTTP/1.1\r\n");
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CLOSE = ascii("Connection: close\r\n");
    private static final byte[] KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final BodyFraming FIXED_ZERO = new BodyFraming.Fixed(0);

    private final DateCache dates;
    private final WriteBuffer head = new WriteBuffer(512);

    /** {@code dates} supplies the server role's Date field; a client may pass any DateCache. */
    public Http1Writer(DateCache dates) {
        this.dates = Objects.requireNonNull(dates, "dates");
    }

    /**
     * Server role: writes the status line, fields and blank line of a response to {@code request},
     * and returns the framing of the body that must follow (see the class comment).
     *
     * @param contentLength the body's length, {@link #UNKNOWN_LENGTH} to stream it, or {@link #NO_BODY}
     * @throws UsageViolation for a bad Content-Length field or argument, a Transfer-Encoding field
     *         on a response with a body (the writer owns that field), or a reason phrase with controls
     */
    public BodyFraming writeResponseHead(Status status, Headers headers, long contentLength, RequestInfo request,
                                         ByteSink out) {
        checkLengthArgument(contentLength);
        if (status.isInformational()) {
            writeInterim(status, headers, out);
            return BodyFraming.EMPTY;
        }
        int code = status.code();
        boolean noContent = code == 204;                      // RFC 9110 §8.6, RFC 9112 §6.1
        long declared = noContent ? -1 : declaredLength(headers, contentLength);
        BodyFraming framing = responseFraming(code, request, declared >= 0 ? declared : contentLength,
                headers.containsToken(FieldName.CONNECTION, "close"));
        // A reply to HEAD and a 304 may repeat the GET response's Transfer-Encoding (RFC 9110
        // §9.3.2, §15.4.5), except to HTTP/1.0 (RFC 9112 §6.1); a body's framing is the writer's.
        boolean stripCoding = noContent || request.version() == Version.HTTP_1_0;
        if (!stripCoding && framing != BodyFraming.EMPTY && headers.contains(FieldName.TRANSFER_ENCODING)) {
            throw new UsageViolation("Transfer-Encoding is the writer's to set: pass UNKNOWN_LENGTH to stream");
        }
        head.clear();
        statusLine(status);
        callerFields(headers, noContent, stripCoding);
        framingFields(framing, declared < 0 ? addedLength(framing, code, request, contentLength) : -1);
        connectionField(framing, request, headers);
        if (!headers.contains(FieldName.DATE)) head.put(dates.headerLine());   // RFC 9110 §6.6.1
        head.crlf().drainTo(out);
        return framing;
    }

    /**
     * True if the connection must close after a response with this framing to this request: the
     * request said so (RFC 9112 §9.3), the body ends at the close (§6.3), or the response says
     * {@code Connection: close} (§9.6). The one place that decides it.
     */
    public static boolean willClose(BodyFraming framing, RequestInfo request, Headers responseHeaders) {
        return !request.keepAlive()
            || framing instanceof BodyFraming.UntilClose
            || responseHeaders.containsToken(FieldName.CONNECTION, "close");
    }

    /**
     * An interim (1xx) response, such as 100 Continue: status line and {@code headers} without
     * Content-Length or Transfer-Encoding (RFC 9110 §15.2), and no body. The caller must not send
     * one to an HTTP/1.0 request (RFC 9110 §15.2).
     */
    public void writeInterim(Status status, Headers headers, ByteSink out) {
        if (!status.isInformational()) throw new UsageViolation("not an interim (1xx) status: " + status);
        head.clear();
        statusLine(status);
        callerFields(headers, true, true);
        head.crlf().drainTo(out);
    }

    /**
     * Client role: writes an HTTP/1.1 request line, fields and blank line, and returns the framing
     * of the body that must follow.
     * <ul>
     *   <li>{@code contentLength >= 0}: {@code Fixed}, with Content-Length; but 0 for GET, HEAD,
     *       DELETE, OPTIONS, TRACE or CONNECT writes no Content-Length and returns {@code EMPTY}
     *       (RFC 9110 §8.6: not for requests whose method anticipates no content).</li>
     *   <li>{@link #UNKNOWN_LENGTH}: {@code CHUNKED}, with {@code Transfer-Encoding: chunked}.</li>
     *   <li>{@link #NO_BODY}: {@code EMPTY}; POST, PUT and PATCH still say {@code Content-Length: 0},
     *       as RFC 9110 §8.6 expects of them and as servers that answer 411 without it require.</li>
     * </ul>
     *
     * @throws UsageViolation without exactly one Host field (RFC 9112 §3.2), for a target that is
     *         empty or not visible ASCII (§3.2), a bad Content-Length, or a Transfer-Encoding field
     */
    public BodyFraming writeRequestHead(Method method, String target, Headers headers, long contentLength,
                                        ByteSink out) {
        checkLengthArgument(contentLength);
        checkTarget(target);
        int hosts = headers.count(FieldName.HOST);
        if (hosts != 1) throw new UsageViolation(hosts + " Host fields; a request needs exactly one (RFC 9112 §3.2)");
        if (headers.contains(FieldName.TRANSFER_ENCODING)) {
            throw new UsageViolation("Transfer-Encoding is the writer's to set: pass UNKNOWN_LENGTH to stream");
        }
        long declared = declaredLength(headers, contentLength);
        long length = declared >= 0 ? declared : contentLength;
        boolean expectsContent = anticipatesContent(method);
        BodyFraming framing;
        long added = -1;
        if (length > 0 || (length == 0 && expectsContent)) {
            framing = length == 0 ? FIXED_ZERO : new BodyFraming.Fixed(length);
            added = declared < 0 ? length : -1;
        } else if (length == UNKNOWN_LENGTH) {
            framing = BodyFraming.CHUNKED;
        } else {
            framing = BodyFraming.EMPTY;
            if (length == NO_BODY && isUpload(method)) added = 0;
        }
        head.clear();
        head.latin1(method.name()).put((byte) ' ').latin1(target).put(SP_HTTP_1_1_CRLF);
        callerFields(headers, false, false);
        framingFields(framing, added);
        head.crlf().drainTo(out);
        return framing;
    }

    // -- framing --

    /**
     * RFC 9112 §6.3 rules 1, 6 and 8, in the server's role. A body of unknown length in a
     * response that says {@code Connection: close} itself ends at the close: the connection goes
     * with it anyway, so chunk framing would only add bytes (an event stream, as Nchan sends one).
     */
    private static BodyFraming responseFraming(int code, RequestInfo request, long length, boolean closes) {
        if (request.method() == Method.HEAD || code == 204 || code == 304) return BodyFraming.EMPTY;
        if (length > 0) return new BodyFraming.Fixed(length);
        if (length == 0 || length == NO_BODY) return FIXED_ZERO;
        return request.version() == Version.HTTP_1_1 && !closes ? BodyFraming.CHUNKED : BodyFraming.UNTIL_CLOSE;
    }

    /**
     * The Content-Length the writer adds when the caller wrote none, or -1: a Fixed body's length;
     * for a reply to HEAD, the length a GET would have had (RFC 9110 §9.3.2). A 304 gets none from
     * the argument: only a field the caller set on purpose may describe the stored representation
     * (RFC 9110 §8.6, §15.4.5).
     */
    private static long addedLength(BodyFraming framing, int code, RequestInfo request, long contentLength) {
        return switch (framing) {
            case BodyFraming.Fixed(long length) -> length;
            case BodyFraming.Empty _ ->
                request.method() == Method.HEAD && code != 204 && code != 304 && contentLength >= 0 ? contentLength : -1;
            case BodyFraming.Chunked _, BodyFraming.UntilClose _ -> -1;
        };
    }

    /** The caller's Content-Length field (RFC 9110 §8.6) as a number, or -1 when there is none. */
    private static long declaredLength(Headers headers, long contentLength) {
        int count = headers.count(FieldName.CONTENT_LENGTH);
        if (count == 0) return -1;
        if (count > 1) throw new UsageViolation("more than one Content-Length field");
        long declared = parseLength(headers.firstOr(FieldName.CONTENT_LENGTH, ""));
        if (contentLength >= 0 && contentLength != declared) {
            throw new UsageViolation("Content-Length field " + declared + " differs from contentLength " + contentLength);
        }
        return declared;
    }

    /** Content-Length = 1*DIGIT (RFC 9110 §8.6), within a long. */
    private static long parseLength(String text) {
        if (text.isEmpty() || text.length() > 18) throw new UsageViolation("bad Content-Length field: " + text);
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') throw new UsageViolation("bad Content-Length field: " + text);
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private static void checkLengthArgument(long contentLength) {
        if (contentLength < NO_BODY) throw new UsageViolation("contentLength must be >= 0, UNKNOWN_LENGTH or NO_BODY: " + contentLength);
    }

    /** Methods whose semantics anticipate no request content (RFC 9110 §9.3). */
    private static boolean anticipatesContent(Method m) {
        return m != Method.GET && m != Method.HEAD && m != Method.DELETE && m != Method.OPTIONS
            && m != Method.TRACE && m != Method.CONNECT;
    }

    /** The methods that "normally send Content-Length even when the value is 0" (RFC 9110 §8.6). */
    private static boolean isUpload(Method m) {
        return m == Method.POST || m == Method.PUT || m == Method.PATCH;
    }

    /** request-target is visible ASCII without spaces (RFC 9112 §3.2); a space would split the line. */
    private static void checkTarget(String target) {
        if (target.isEmpty()) throw new UsageViolation("empty request-target (RFC 9112 §3.2)");
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c > 0x7E || !Ascii.isTargetByte((byte) c)) {
                throw new UsageViolation("request-target has a byte outside visible ASCII at " + i + " (RFC 9112 §3.2)");
            }
        }
    }

    // -- formatting --

    private void statusLine(Status status) {
        int code = status.code();
        byte[] line = STATUS_LINES[code];
        if (line != null && status.equals(Status.of(code))) {
            head.put(line);
            return;
        }
        // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ) (RFC 9112 §4): a CR or LF would split the response.
        if (!Ascii.isFieldValue(status.reason())) throw new UsageViolation("reason phrase has a control character");
        head.put(HTTP_1_1_SP).decimal(code).put((byte) ' ').latin1(status.reason()).crlf();
    }

    private void callerFields(Headers headers, boolean stripLength, boolean stripCoding) {
        for (int i = 0, n = headers.size(); i < n; i++) {
            String name = headers.name(i);
            if (stripLength && Ascii.equalsIgnoreCase(name, FieldName.CONTENT_LENGTH)) continue;
            if (stripCoding && Ascii.equalsIgnoreCase(name, FieldName.TRANSFER_ENCODING)) continue;
            head.field(name, headers.value(i));
        }
    }

    private void framingFields(BodyFraming framing, long addedLength) {
        if (addedLength >= 0) head.put(CONTENT_LENGTH).decimal(addedLength).crlf();
        if (framing instanceof BodyFraming.Chunked) head.put(CHUNKED);
    }

    private void connectionField(BodyFraming framing, RequestInfo request, Headers headers) {
        if (willClose(framing, request, headers)) {
            if (!headers.containsToken(FieldName.CONNECTION, "close")) head.put(CLOSE);
        } else if (request.version() == Version.HTTP_1_0 && !headers.containsToken(FieldName.CONNECTION, "keep-alive")) {
            head.put(KEEP_ALIVE);
        }
    }

    /** "HTTP/1.1 200 OK\r\n" and the like, for every registered status, built once. */
    private static byte[][] statusLines() {
        var lines = new byte[600][];
        for (int code = 100; code < 600; code++) {
            Status s = Status.of(code);
            if (!s.reason().isEmpty()) lines[code] = ascii("HTTP/1.1 " + code + " " + s.reason() + "\r\n");
        }
        return lines;
    }

    private static byte[] ascii(String s) { return s.getBytes(StandardCharsets.ISO_8859_1); }
}
