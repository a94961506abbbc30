package dev.weft.protocol.http1;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.http1.Http1Event.EndOfMessage;
import dev.weft.protocol.http1.Http1Event.ResponseHead;
import dev.weft.protocol.http1.Http1Event.Signal;
import dev.weft.protocol.testing.Events;
import dev.weft.protocol.testing.Feed;
import dev.weft.protocol.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.List;

import static dev.weft.protocol.http.Violation.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Client role: the status line, response framing and the request/response sequence, each rule
 * citing its RFC section, every input run whole and at every split.
 */
class ResponseParserTest {
    private static Http1Parser parser(Method... sent) {
        var parser = new Http1Parser(Role.CLIENT, Http1Limits.DEFAULTS);
        for (Method m : sent) parser.requestSent(m);
        return parser;
    }

    private static Violation violation(String wire, Method... sent) {
        return Feed.violation(() -> parser(sent), Vectors.bytes(wire), false);
    }

    private static List<Object> events(String wire, boolean end, Method... sent) {
        return Feed.events(() -> parser(sent), Vectors.bytes(wire), end);
    }

    private static ResponseHead head(String wire, Method... sent) {
        return (ResponseHead) events(wire, false, sent).getFirst();
    }

    // ---- status-line (RFC 9112 §4) ----

    @Test  // RFC 9112 §4: the reason phrase may be empty, and we accept it missing with its SP
    void reasonMayBeMissing() {
        assertEquals(Status.of(200, ""), head("HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", Method.GET).status());
        assertEquals(Status.of(200, ""), head("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", Method.GET).status());
        assertEquals(Status.of(299, "Odd"), head("HTTP/1.1 299 Odd\r\nContent-Length: 0\r\n\r\n", Method.GET).status());
        assertEquals("Fine Thanks", head("HTTP/1.1 200 Fine Thanks\r\nContent-Length: 0\r\n\r\n", Method.GET).status().reason());
    }

    @Test  // Status.of: a registered status with its own reason is the singleton
    void registeredStatusesAreSingletons() {
        assertSame(Status.OK, head("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", Method.GET).status());
        assertSame(Status.NOT_FOUND, head("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", Method.GET).status());
    }

    @ParameterizedTest  // RFC 9112 §4, RFC 9110 §15: 3DIGIT in 100..599, single SP
    @ValueSource(strings = {"HTTP/1.1 099 X", "HTTP/1.1 600 X", "HTTP/1.1 2000 X", "HTTP/1.1  200 OK", "HTTP/1.1 20x OK",
        "HTTP/1.1\t200 OK", "HTTP/1.1", "HTTP/1.1 20", "http/1.1 200 OK", "HTTP/1.1 200 O\u0001K", "HTTP/1.x 200 OK", "XHTTP/1.1 200 OK"})
    void malformedStatusLinesAreRejected(String line) {
        assertEquals(BAD_STATUS_LINE, violation(line + "\r\n\r\n", Method.GET));
    }

    @Test  // RFC 9110 §15.6.6: a well-formed version with another major
    void otherMajorVersionsAreNotSupported() {
        assertEquals(VERSION_NOT_SUPPORTED, violation("HTTP/2.0 200 OK\r\n\r\n", Method.GET));
        assertEquals(Version.HTTP_1_1, head("HTTP/1.7 200 OK\r\nContent-Length: 0\r\n\r\n", Method.GET).version());
    }

    @Test  // RFC 9112 §2.2: the empty-line allowance is for servers; a client reads a status line at once
    void emptyLineBeforeTheStatusLineIsRejected() {
        assertEquals(BAD_STATUS_LINE, violation("\r\nHTTP/1.1 200 OK\r\n\r\n", Method.GET));
    }

    // ---- response framing (RFC 9112 §6.3) ----

    @Test  // RFC 9112 §6.3 ¶1: no body after HEAD, 1xx, 204 or 304, whatever the fields say
    void bodylessResponsesAreEmptyWhateverTheFieldsSay() {
        String lying = "Content-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertSame(BodyFraming.EMPTY, head("HTTP/1.1 200 OK\r\n" + lying, Method.HEAD).framing());
        assertSame(BodyFraming.EMPTY, head("HTTP/1.1 204 No Content\r\n" + lying, Method.GET).framing());
        assertSame(BodyFraming.EMPTY, head("HTTP/1.1 304 Not Modified\r\n" + lying, Method.GET).framing());
        assertSame(BodyFraming.EMPTY, head("HTTP/1.1 103 Early Hints\r\n" + lying, Method.GET).framing());
    }

    @Test  // RFC 9112 §6.3 ¶2: a 2xx to CONNECT starts a tunnel; other answers are ordinary
    void successToConnectIsATunnel() {
        assertEquals(List.of(new ResponseHead(Version.HTTP_1_1, Status.OK, Headers.of("content-length", "5"), BodyFraming.EMPTY, true),
                EndOfMessage.NO_TRAILERS, Signal.PAUSED),
            events("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n", false, Method.CONNECT));
        assertEquals(new BodyFraming.Fixed(3), head("HTTP/1.1 407 Proxy Auth\r\nContent-Length: 3\r\n\r\nnop", Method.CONNECT).framing());
    }

    @Test  // RFC 9112 §6.3 ¶3: both lengths may be a smuggling attempt; we reject, as ¶3 allows
    void transferEncodingWithContentLengthIsAnError() {
        assertEquals(LENGTH_AND_CHUNKED, violation("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", Method.GET));
    }

    @Test  // RFC 9112 §6.3 ¶4: chunked last is chunked; any other final coding reads until close
    void codingsDecideChunkedOrUntilClose() {
        assertSame(BodyFraming.CHUNKED, head("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", Method.GET).framing());
        var untilClose = (ResponseHead) events("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nzz", true, Method.GET).getFirst();
        assertSame(BodyFraming.UNTIL_CLOSE, untilClose.framing());
        assertFalse(untilClose.keepAlive());
    }

    @Test  // RFC 9112 §7: chunked is never applied twice
    void chunkedTwiceIsAnError() {
        assertEquals(CHUNKED_NOT_FINAL, violation("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", Method.GET));
    }

    @Test  // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing
    void transferEncodingInHttp10IsAnError() {
        assertEquals(TRANSFER_ENCODING_IN_HTTP_1_0, violation("HTTP/1.0 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n", Method.GET));
    }

    @Test  // RFC 9112 §6.3 ¶6 and ¶8: Content-Length, else until the server closes (never keep-alive)
    void lengthOrUntilClose() {
        assertEquals(List.of(new ResponseHead(Version.HTTP_1_1, Status.OK, Headers.of("content-length", "2"), new BodyFraming.Fixed(2), true),
            Events.data("ab"), EndOfMessage.NO_TRAILERS), events("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nab", false, Method.GET));
        assertEquals(List.of(new ResponseHead(Version.HTTP_1_1, Status.OK, new Headers(), BodyFraming.UNTIL_CLOSE, false),
            Events.data("abc"), EndOfMessage.NO_TRAILERS, Signal.CLOSED), events("HTTP/1.1 200 OK\r\n\r\nabc", true, Method.GET));
    }

    @Test  // RFC 9110 §8.6, RFC 9112 §6.3 ¶5: the length rules are the request's
    void contentLengthRulesApplyToResponses() {
        assertEquals(BAD_CONTENT_LENGTH, violation("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", Method.GET));
        assertEquals(CONFLICTING_CONTENT_LENGTH, violation("HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n", Method.GET));
    }

    @Test  // RFC 9112 §9.3: persistence by version and Connection, as for requests
    void keepAliveFollowsVersionAndConnection() {
        assertFalse(head("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", Method.GET).keepAlive());
        assertFalse(head("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", Method.GET).keepAlive());
        assertTrue(head("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", Method.GET).keepAlive());
    }

    // ---- sequence (RFC 9112 §9.3, RFC 9110 §15.2) ----

    @Test  // RFC 9112 §9.3: responses answer requests in order; one with none outstanding is an error
    void responseWithoutRequestIsUnexpected() {
        assertEquals(UNEXPECTED_RESPONSE, violation("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertEquals(UNEXPECTED_RESPONSE, violation("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\n\r\n", Method.GET));
    }

    @Test  // RFC 9110 §15.2: interim responses precede the final one to the same request
    void interimResponsesKeepTheRequestOutstanding() {
        var events = events("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, Method.HEAD);
        assertEquals(6, events.size());
        assertEquals(Status.OK, ((ResponseHead) events.get(4)).status());
        assertSame(BodyFraming.EMPTY, ((ResponseHead) events.get(4)).framing());   // still the HEAD's response
    }

    @Test  // RFC 9110 §15.2.2: after 101 the connection speaks another protocol
    void switchingProtocolsPausesUntilResumed() {
        var parser = parser(Method.GET);
        var buffer = ByteBuffer.wrap(Vectors.bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\nConnection: upgrade\r\n\r\n\u0081\u0000"));
        parser.feed(buffer);
        assertInstanceOf(ResponseHead.class, parser.next());
        assertSame(EndOfMessage.NO_TRAILERS, parser.next());
        assertSame(Signal.PAUSED, parser.next());
        assertSame(Signal.PAUSED, parser.next());
        assertEquals(2, buffer.remaining());
    }

    @Test  // RFC 9112 §9.3: a close with nothing outstanding, or between responses, is a clean end
    void feedEndAtABoundaryIsClosed() {
        assertEquals(List.of(Signal.CLOSED), events("", true));
        assertEquals(List.of(Signal.CLOSED), events("", true, Method.GET));
        assertEquals(List.of(new ResponseHead(Version.HTTP_1_1, Status.OK, Headers.of("content-length", "0"), new BodyFraming.Fixed(0), true),
            EndOfMessage.NO_TRAILERS, Signal.CLOSED), events("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", true, Method.GET, Method.GET));
    }

    @Test  // RFC 9112 §8: a close inside a head or a delimited body leaves the message incomplete
    void feedEndMidMessageIsIncomplete() {
        assertEquals(INCOMPLETE_MESSAGE, Feed.violation(() -> parser(Method.GET), Vectors.bytes("HTTP/1.1 200 OK\r\n"), true));
        assertEquals(INCOMPLETE_MESSAGE, Feed.violation(() -> parser(Method.GET),
            Vectors.bytes("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nabc"), true));
        assertEquals(INCOMPLETE_MESSAGE, Feed.violation(() -> parser(Method.GET), Vectors.bytes("HTT"), true));
    }

    @Test  // the violation's status is what a gateway would answer
    void statusLineViolationsAreBadGateway() {
        var e = assertThrows(PeerViolation.class, () -> {
            var p = parser(Method.GET);
            p.feed(ByteBuffer.wrap(Vectors.bytes("HTTP/1.1 700 X\r\n\r\n")));
            p.next();
        });
        assertEquals(Status.BAD_GATEWAY, e.violation().status());
    }
}
