package dev.weft.protocol.http1;

import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.http1.Http1Event.RequestHead;
import dev.weft.protocol.http1.RequestTarget.Form;
import dev.weft.protocol.testing.Feed;
import dev.weft.protocol.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.weft.protocol.http.Violation.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Server role: one test per rule of the request-line, Host and request framing, each citing
 * its RFC section and asserting the Violation, never the message. Every input runs whole, byte
 * by byte and at every two-way split (Feed.violation / Feed.events check they agree).
 */
class RequestParserTest {
    static Violation violation(String wire) {
        return Feed.violation(() -> new Http1Parser(Role.SERVER, Http1Limits.DEFAULTS), Vectors.bytes(wire), false);
    }

    static List<Object> events(String wire) {
        return Feed.events(() -> new Http1Parser(Role.SERVER, Http1Limits.DEFAULTS), Vectors.bytes(wire), false);
    }

    static RequestHead head(String wire) {
        return (RequestHead) events(wire).getFirst();
    }

    /** A request: the start line, then field lines, each given without its CRLF. */
    static String request(String startLine, String... fields) {
        var sb = new StringBuilder(startLine).append("\r\n");
        for (String f : fields) sb.append(f).append("\r\n");
        return sb.append("\r\n").toString();
    }

    // ---- request-line (RFC 9112 §3) ----

    @ParameterizedTest  // RFC 9112 §3: method SP request-target SP HTTP-version, one SP each
    @ValueSource(strings = {"GET  / HTTP/1.1", "GET /  HTTP/1.1", "GET / HTTP/1.1 ", " GET / HTTP/1.1", "GET\t/ HTTP/1.1",
        "GET /\tHTTP/1.1", "GET /", "GET / ", "GET", "GET /a b HTTP/1.1"})
    void requestLineSeparatorsAreSingleSpaces(String line) {
        assertEquals(BAD_REQUEST_LINE, violation(request(line, "Host: x")));
    }

    @ParameterizedTest  // RFC 9110 §9.1: method = token
    @ValueSource(strings = {"GE(T / HTTP/1.1", "G\u00c9T / HTTP/1.1", "\u0001GET / HTTP/1.1", "GET@ / HTTP/1.1"})
    void methodIsAToken(String line) {
        assertEquals(BAD_METHOD, violation(request(line, "Host: x")));
    }

    @Test  // RFC 9110 §9.1: registered methods are the singletons, extension methods any token, case-sensitive
    void methodsAreTokensAndRegisteredOnesAreSingletons() {
        assertSame(Method.GET, head(request("GET / HTTP/1.1", "Host: x")).method());
        assertSame(Method.PATCH, head(request("PATCH / HTTP/1.1", "Host: x")).method());
        assertEquals("PURGE", head(request("PURGE / HTTP/1.1", "Host: x")).method().name());
        assertEquals("get", head(request("get / HTTP/1.1", "Host: x")).method().name());
    }

    @ParameterizedTest  // RFC 9112 §3.2: the target is visible ASCII
    @ValueSource(strings = {"GET /a\u007fb HTTP/1.1", "GET /caf\u00e9 HTTP/1.1", "GET /\u0000 HTTP/1.1", "GET /a\u0001 HTTP/1.1"})
    void targetIsVisibleAscii(String line) {
        assertEquals(BAD_TARGET, violation(request(line, "Host: x")));
    }

    @ParameterizedTest  // RFC 9112 §3.2.1-3.2.4: each form with its methods only
    @ValueSource(strings = {
        "CONNECT / HTTP/1.1",                 // CONNECT takes authority-form only (§3.2.3)
        "CONNECT http://a.example/ HTTP/1.1",
        "CONNECT a.example HTTP/1.1",         // no port (RFC 9110 §9.3.6)
        "CONNECT a.example: HTTP/1.1",
        "CONNECT a.example:0 HTTP/1.1",
        "CONNECT a.example:65536 HTTP/1.1",
        "CONNECT :443 HTTP/1.1",
        "CONNECT user@a.example:443 HTTP/1.1",
        "GET a.example:443 HTTP/1.1",         // authority-form is CONNECT's only
        "GET * HTTP/1.1",                     // asterisk-form is OPTIONS's only (§3.2.4)
        "OPTIONS *x HTTP/1.1",
        "GET http:/a HTTP/1.1",               // absolute-form needs "://" and a host (§3.2.2, RFC 9110 §4.2.1)
        "GET http:///a HTTP/1.1",
        "GET 1http://a/ HTTP/1.1",
        "GET ?q HTTP/1.1"})
    void targetFormMatchesTheMethod(String line) {
        assertEquals(BAD_TARGET, violation(request(line, "Host: x")));
    }

    @Test  // RFC 9112 §3.2.1-3.2.4
    void targetFormsAreRecognised() {
        assertEquals(new RequestTarget(Form.ORIGIN, "/a?b"), head(request("GET /a?b HTTP/1.1", "Host: x")).target());
        assertEquals(new RequestTarget(Form.ABSOLUTE, "https://a.example:8443"),
            head(request("GET https://a.example:8443 HTTP/1.1", "Host: x")).target());
        assertEquals(new RequestTarget(Form.AUTHORITY, "[::1]:443"), head(request("CONNECT [::1]:443 HTTP/1.1", "Host: x")).target());
        assertEquals(new RequestTarget(Form.ASTERISK, "*"), head(request("OPTIONS * HTTP/1.1", "Host: x")).target());
        assertEquals(Form.ORIGIN, head(request("OPTIONS /x HTTP/1.1", "Host: x")).target().form());
    }

    @Test  // RFC 9112 §2.3, RFC 9110 §6.2: 1.0 and 1.1; a higher 1.x minor is read as 1.1
    void versionsOneZeroToOneNineAreAccepted() {
        assertEquals(Version.HTTP_1_0, head(request("GET / HTTP/1.0")).version());
        assertEquals(Version.HTTP_1_1, head(request("GET / HTTP/1.1", "Host: x")).version());
        assertEquals(Version.HTTP_1_1, head(request("GET / HTTP/1.2", "Host: x")).version());
        assertEquals(Version.HTTP_1_1, head(request("GET / HTTP/1.9", "Host: x")).version());
    }

    @ParameterizedTest  // RFC 9110 §15.6.6: a well-formed version with another major is 505
    @ValueSource(strings = {"GET / HTTP/2.0", "GET / HTTP/0.9", "GET / HTTP/3.0", "GET / HTTP/9.9"})
    void otherMajorVersionsAreNotSupported(String line) {
        assertEquals(VERSION_NOT_SUPPORTED, violation(request(line, "Host: x")));
        assertEquals(505, VERSION_NOT_SUPPORTED.status().code());
    }

    @ParameterizedTest  // RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive
    @ValueSource(strings = {"GET / HTTP/1.10", "GET / HTTP/1", "GET / http/1.1", "GET / HTTP/1.x", "GET / HTTPS/1.1",
        "GET / HTTP/11", "GET / HTTP-1.1", "GET / HTTP/1,1"})
    void malformedVersionsAreBadVersion(String line) {
        assertEquals(BAD_VERSION, violation(request(line, "Host: x")));
    }

    @Test  // RFC 9112 §2.2: a server ignores empty lines before the request-line
    void emptyLinesBeforeTheRequestLineAreSkipped() {
        assertEquals(List.of(Vectors.get("/", "host", "x"), Http1Event.EndOfMessage.NO_TRAILERS),
            events("\r\n\r\n\r\n" + request("GET / HTTP/1.1", "Host: x")));
    }

    // ---- Host (RFC 9112 §3.2) ----

    @Test  // RFC 9112 §3.2: an HTTP/1.1 request carries Host
    void http11RequestWithoutHostIsMissingHost() {
        assertEquals(MISSING_HOST, violation(request("GET / HTTP/1.1", "Accept: */*")));
        assertEquals(Version.HTTP_1_0, head(request("GET / HTTP/1.0", "Accept: */*")).version());
    }

    @Test  // RFC 9112 §3.2: more than one Host line is a 400, whatever the version
    void twoHostLinesAreDuplicateHost() {
        assertEquals(DUPLICATE_HOST, violation(request("GET / HTTP/1.1", "Host: a", "Host: a")));
        assertEquals(DUPLICATE_HOST, violation(request("GET / HTTP/1.0", "host: a", "HOST: b")));
    }

    // ---- request framing (RFC 9112 §6) ----

    @Test  // RFC 9112 §6.3 ¶3: both Transfer-Encoding and Content-Length is how requests get smuggled
    void transferEncodingWithContentLengthIsAnError() {
        assertEquals(LENGTH_AND_CHUNKED, violation(request("POST / HTTP/1.1", "Host: x", "Content-Length: 3",
            "Transfer-Encoding: chunked")));
        assertEquals(LENGTH_AND_CHUNKED, violation(request("POST / HTTP/1.1", "Host: x", "Transfer-Encoding: chunked",
            "Content-Length: 3")));
    }

    @Test  // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing
    void transferEncodingInHttp10IsAnError() {
        assertEquals(TRANSFER_ENCODING_IN_HTTP_1_0, violation(request("POST / HTTP/1.0", "Transfer-Encoding: chunked")));
    }

    @ParameterizedTest  // RFC 9112 §6.1: we understand only chunked, so any other coding is 501
    @ValueSource(strings = {"gzip, chunked", "gzip", "chunked;q=1", "identity, chunked", "x-custom"})
    void codingsOtherThanChunkedAreUnsupported(String codings) {
        assertEquals(UNSUPPORTED_TRANSFER_CODING, violation(request("POST / HTTP/1.1", "Host: x", "Transfer-Encoding: " + codings)));
        assertEquals(501, UNSUPPORTED_TRANSFER_CODING.status().code());
    }

    @Test  // RFC 9112 §6.1 lists are joined over lines: gzip on one line and chunked on the next is still gzip
    void codingsAreOneListOverAllLines() {
        assertEquals(UNSUPPORTED_TRANSFER_CODING, violation(request("POST / HTTP/1.1", "Host: x",
            "Transfer-Encoding: gzip", "Transfer-Encoding: chunked")));
    }

    @ParameterizedTest  // RFC 9112 §6.3 ¶4 and §7: chunked is final and never applied twice
    @ValueSource(strings = {"chunked, chunked", "chunked,chunked", "", " , "})
    void chunkedTwiceOrNotAtAllIsNotFinal(String codings) {
        assertEquals(CHUNKED_NOT_FINAL, violation(request("POST / HTTP/1.1", "Host: x", "Transfer-Encoding: " + codings)));
    }

    @Test  // RFC 9112 §7: chunked on two lines is chunked twice
    void chunkedOnTwoLinesIsNotFinal() {
        assertEquals(CHUNKED_NOT_FINAL, violation(request("POST / HTTP/1.1", "Host: x",
            "Transfer-Encoding: chunked", "Transfer-Encoding: chunked")));
    }

    @Test  // RFC 9112 §6.1: coding names are case-insensitive; empty list elements are ignored (RFC 9110 §5.6.1)
    void chunkedIsRecognisedInAnyCase() {
        assertEquals(BodyFraming.CHUNKED, head(request("POST / HTTP/1.1", "Host: x", "Transfer-Encoding: ChUnKeD")
            + "0\r\n\r\n").framing());
        assertEquals(BodyFraming.CHUNKED, head(request("POST / HTTP/1.1", "Host: x", "Transfer-Encoding: , chunked ,")
            + "0\r\n\r\n").framing());
    }

    @ParameterizedTest  // RFC 9110 §8.6: Content-Length = 1*DIGIT
    @ValueSource(strings = {"+5", "-5", "5 5", "0x5", "", "5.0", "5a", "99999999999999999999", "9223372036854775808", "5,"})
    void contentLengthIsDigitsOnly(String value) {
        assertEquals(BAD_CONTENT_LENGTH, violation(request("POST / HTTP/1.1", "Host: x", "Content-Length: " + value)));
    }

    @Test  // RFC 9112 §6.3 ¶5: differing lengths, in a list or on two lines, are an error
    void conflictingContentLengthsAreAnError() {
        assertEquals(CONFLICTING_CONTENT_LENGTH, violation(request("POST / HTTP/1.1", "Host: x", "Content-Length: 5, 6")));
        assertEquals(CONFLICTING_CONTENT_LENGTH, violation(request("POST / HTTP/1.1", "Host: x", "Content-Length: 5",
            "Content-Length: 6")));
    }

    @Test  // RFC 9112 §6.3 ¶5: equal duplicates collapse to one length
    void equalContentLengthsCollapse() {
        assertEquals(new BodyFraming.Fixed(5), head(request("POST / HTTP/1.1", "Host: x", "Content-Length: 5 , 5") + "hello").framing());
        assertEquals(new BodyFraming.Fixed(5), head(request("POST / HTTP/1.1", "Host: x", "Content-Length: 5",
            "content-length: 5") + "hello").framing());
        var parser = new Http1Parser(Role.SERVER, Http1Limits.DEFAULTS);
        parser.feed(java.nio.ByteBuffer.wrap(Vectors.bytes(request("POST / HTTP/1.1", "Host: x", "Content-Length: 9223372036854775807"))));
        assertEquals(new BodyFraming.Fixed(Long.MAX_VALUE), ((RequestHead) parser.next()).framing());
    }

    @Test  // RFC 9112 §6.3 ¶6-7: Content-Length 0 and no length at all are both an empty body
    void zeroLengthAndNoLengthAreEmptyBodies() {
        assertEquals(List.of(Vectors.head(Method.POST, Form.ORIGIN, "/", Version.HTTP_1_1, new BodyFraming.Fixed(0), true,
                "host", "x", "content-length", "0"), Http1Event.EndOfMessage.NO_TRAILERS),
            events(request("POST / HTTP/1.1", "Host: x", "Content-Length: 0")));
        assertSame(BodyFraming.EMPTY, head(request("POST / HTTP/1.1", "Host: x")).framing());
    }

    // ---- connection facts (RFC 9112 §9.3, RFC 9110 §7.8, §10.1.1) ----

    @Test  // RFC 9112 §9.3: HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive"
    void keepAliveFollowsVersionAndConnection() {
        assertTrue(head(request("GET / HTTP/1.1", "Host: x")).keepAlive());
        assertTrue(head(request("GET / HTTP/1.1", "Host: x", "Connection: keep-alive")).keepAlive());
        assertFalse(head(request("GET / HTTP/1.1", "Host: x", "Connection: keep-alive, Close")).keepAlive());
        assertFalse(head(request("GET / HTTP/1.1", "Host: x", "Connection: foo", "Connection: close")).keepAlive());
        assertFalse(head(request("GET / HTTP/1.0")).keepAlive());
        assertTrue(head(request("GET / HTTP/1.0", "Connection: Keep-Alive")).keepAlive());
    }

    @Test  // RFC 9110 §10.1.1: Expect: 100-continue, case-insensitive, and ignored in HTTP/1.0
    void expectContinueIsNotedForHttp11() {
        assertTrue(head(request("PUT / HTTP/1.1", "Host: x", "Expect: 100-Continue", "Content-Length: 1") + "x").expectContinue());
        assertFalse(head(request("PUT / HTTP/1.0", "Expect: 100-continue", "Content-Length: 1") + "x").expectContinue());
        assertFalse(head(request("PUT / HTTP/1.1", "Host: x", "Expect: something-else")).expectContinue());
        assertFalse(head(request("PUT / HTTP/1.1", "Host: x")).expectContinue());
    }

    @Test  // RFC 9110 §7.8: Upgrade counts only when Connection lists it, and not in HTTP/1.0
    void upgradeNeedsTheFieldAndTheConnectionToken() {
        assertTrue(head(request("GET / HTTP/1.1", "Host: x", "Upgrade: h2c", "Connection: HTTP2-Settings, upgrade")).upgrade());
        assertFalse(head(request("GET / HTTP/1.1", "Host: x", "Upgrade: h2c")).upgrade());
        assertFalse(head(request("GET / HTTP/1.1", "Host: x", "Connection: upgrade")).upgrade());
        assertFalse(head(request("GET / HTTP/1.0", "Upgrade: h2c", "Connection: upgrade")).upgrade());
    }
}
