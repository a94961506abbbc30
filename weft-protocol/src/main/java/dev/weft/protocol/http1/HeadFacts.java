package dev.weft.protocol.http1;

import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.internal.Ascii;

/**
 * What the fields of one head say about framing and the connection, gathered while the fields
 * are parsed and decided once, when the head ends (RFC 9112 §6.3).
 *
 * <p>Fields are recognised by identity: the parser hands out the {@link FieldName} instances, so
 * {@code name == FieldName.CONTENT_LENGTH} is exact. Content-Length and Transfer-Encoding are
 * parsed as they arrive, each value checked once; Connection, Upgrade and Expect only note
 * that they were present, so a head without them never scans its fields for tokens.
 */
final class HeadFacts {
    private int hosts;
    private long contentLength;
    private boolean transferEncoding;
    private int chunkedCount;
    private boolean chunkedLast;
    private boolean unknownCoding;
    boolean connection;
    boolean upgrade;
    boolean expect;

    private final boolean requests;            // heads of requests (the server role): Host is checked

    HeadFacts(boolean requests) {
        this.requests = requests;
        reset();
    }

    void reset() {
        hosts = 0;
        contentLength = -1;
        transferEncoding = false;
        chunkedCount = 0;
        chunkedLast = false;
        unknownCoding = false;
        connection = upgrade = expect = false;
    }

    /** Notes one field line; {@code a[from, to)} is its value, already trimmed of OWS. */
    void field(String name, byte[] a, int from, int to) {
        if (name == FieldName.CONTENT_LENGTH) contentLength(a, from, to);
        else if (name == FieldName.TRANSFER_ENCODING) codings(a, from, to);
        else if (name == FieldName.HOST) host(a, from, to);
        else if (name == FieldName.CONNECTION) connection = true;
        else if (name == FieldName.UPGRADE) upgrade = true;
        else if (name == FieldName.EXPECT) expect = true;
    }

    /**
     * Content-Length = 1*DIGIT (RFC 9110 §8.6): no sign, no inner spaces, no overflow. A list
     * ("5, 5") or repeated lines must all agree, and then count once (RFC 9112 §6.3 ¶5).
     */
    private void contentLength(byte[] a, int from, int to) {
        int i = from;
        for (;;) {
            while (i < to && isOws(a[i])) i++;
            int digits = i;
            long n = 0;
            for (; i < to && Ascii.isDigit(a[i]); i++) {
                int d = a[i] - '0';
                if (n > (Long.MAX_VALUE - d) / 10) throw peer(Violation.BAD_CONTENT_LENGTH, "Content-Length overflows");
                n = n * 10 + d;
            }
            if (i == digits) throw peer(Violation.BAD_CONTENT_LENGTH, "Content-Length is not 1*DIGIT");
            while (i < to && isOws(a[i])) i++;
            if (i < to && a[i] != ',') throw peer(Violation.BAD_CONTENT_LENGTH, "Content-Length is not 1*DIGIT");
            if (contentLength >= 0 && contentLength != n) {
                throw peer(Violation.CONFLICTING_CONTENT_LENGTH, contentLength + " and " + n);
            }
            contentLength = n;
            if (i == to) return;
            i++;
        }
    }

    /**
     * Transfer-Encoding = #transfer-coding (RFC 9112 §6.1), one list over every line. Empty
     * elements are skipped (RFC 9110 §5.6.1); a coding with parameters is not plain "chunked".
     */
    private void codings(byte[] a, int from, int to) {
        transferEncoding = true;
        int i = from;
        while (i <= to) {
            int comma = i;
            while (comma < to && a[comma] != ',') comma++;
            int start = i, end = comma;
            while (start < end && isOws(a[start])) start++;
            while (end > start && isOws(a[end - 1])) end--;
            if (end > start) {
                boolean chunked = end - start == 7 && Ascii.regionEqualsLower(a, start, "chunked");
                if (chunked) chunkedCount++;
                else unknownCoding = true;
                chunkedLast = chunked;
            }
            i = comma + 1;
        }
    }

    /** RFC 9112 §3.2: a Host field with an invalid value is answered 400, as a missing or repeated one is. */
    private void host(byte[] a, int from, int to) {
        hosts++;
        if (requests && !HostSyntax.isHost(a, from, to, true)) {
            throw peer(Violation.BAD_HOST, "Host is not uri-host [\":\" port] (RFC 3986 §3.2.2)");
        }
    }

    /** RFC 9112 §3.2: an HTTP/1.1 request has exactly one Host line; HTTP/1.0 may omit it. */
    void checkHost(Version version) {
        if (hosts > 1) throw peer(Violation.DUPLICATE_HOST, hosts + " Host lines");
        if (hosts == 0 && version == Version.HTTP_1_1) throw peer(Violation.MISSING_HOST, "HTTP/1.1 request without Host");
    }

    /** RFC 9112 §6.3 for a request: Transfer-Encoding (chunked only), else Content-Length, else no body. */
    BodyFraming requestFraming(Version version) {
        if (transferEncoding) {
            if (contentLength >= 0) throw peer(Violation.LENGTH_AND_CHUNKED, "request has both");    // §6.3 ¶3
            if (version == Version.HTTP_1_0) throw peer(Violation.TRANSFER_ENCODING_IN_HTTP_1_0, "request");  // §6.1
            if (unknownCoding) throw peer(Violation.UNSUPPORTED_TRANSFER_CODING, "only chunked is understood");
            if (chunkedCount != 1 || !chunkedLast) throw peer(Violation.CHUNKED_NOT_FINAL, "chunked must be final, once");
            return BodyFraming.CHUNKED;
        }
        return contentLength >= 0 ? new BodyFraming.Fixed(contentLength) : BodyFraming.EMPTY;
    }

    /**
     * RFC 9112 §6.3 for a response to {@code sent}: no body after HEAD, 1xx, 204 and 304 whatever
     * the fields say (¶1), nor on a 2xx to CONNECT (¶2, the tunnel starts); Transfer-Encoding with
     * Content-Length is an error (¶3 allows it); chunked last means chunked, any other coding reads
     * until close (¶4); then Content-Length; else until close (¶8).
     */
    BodyFraming responseFraming(Version version, int code, Method sent) {
        if (sent == Method.HEAD || code < 200 || code == 204 || code == 304) return BodyFraming.EMPTY;
        if (sent == Method.CONNECT && code < 300) return BodyFraming.EMPTY;
        if (transferEncoding) {
            if (contentLength >= 0) throw peer(Violation.LENGTH_AND_CHUNKED, "response has both");
            if (version == Version.HTTP_1_0) throw peer(Violation.TRANSFER_ENCODING_IN_HTTP_1_0, "response");  // §6.1
            if (chunkedCount > 1) throw peer(Violation.CHUNKED_NOT_FINAL, "chunked applied twice");       // §7
            return chunkedLast ? BodyFraming.CHUNKED : BodyFraming.UNTIL_CLOSE;
        }
        return contentLength >= 0 ? new BodyFraming.Fixed(contentLength) : BodyFraming.UNTIL_CLOSE;
    }

    private static boolean isOws(byte b) { return b == ' ' || b == '\t'; }

    private static PeerViolation peer(Violation v, String detail) { return new PeerViolation(v, detail); }
}
