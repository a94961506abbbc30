package dev.weft.protocol.http1;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.http.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static dev.weft.protocol.http1.Http1Writer.NO_BODY;
import static dev.weft.protocol.http1.Http1Writer.UNKNOWN_LENGTH;
import static org.junit.jupiter.api.Assertions.*;

/** Server role: exact bytes of response heads, and the framing each one decides. */
class ResponseWriterTest {
    private static final String DATE = "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n";
    private static final RequestInfo GET_11 = new RequestInfo(Method.GET, Version.HTTP_1_1, true);
    private static final RequestInfo HEAD_11 = new RequestInfo(Method.HEAD, Version.HTTP_1_1, true);

    private final Http1Writer writer = new Http1Writer(new DateCache(784111777_000L));
    private final WriteRecorder out = new WriteRecorder();

    private BodyFraming write(Status status, Headers headers, long length, RequestInfo request) {
        return writer.writeResponseHead(status, headers, length, request, out);
    }

    @Test
    void fixedLengthResponseIsOneWrite() {
        // RFC 9112 §4 status line, §6.2 Content-Length; RFC 9110 §6.6.1 Date
        var framing = write(Status.OK, Headers.of("Content-Type", "text/plain"), 5, GET_11);
        assertEquals(new BodyFraming.Fixed(5), framing);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n" + DATE + "\r\n", out.text());
        assertEquals(1, out.writes);
        assertFalse(Http1Writer.willClose(framing, GET_11, Headers.empty()));
    }

    @Test
    void unknownLengthToHttp11IsChunked() {
        // RFC 9112 §7.1: chunked when the length is not known in advance
        var framing = write(Status.OK, new Headers(), UNKNOWN_LENGTH, GET_11);
        assertEquals(BodyFraming.CHUNKED, framing);
        var body = BodyEncoder.of(framing);
        body.encode(ascii("hello"), out);
        body.encode(ascii(" world"), out);
        body.finish(out);
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n" + DATE + "\r\n"
            + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n", out.text());
        assertFalse(Http1Writer.willClose(framing, GET_11, Headers.empty()));
    }

    @Test
    void unknownLengthThatClosesAnywayEndsAtTheClose() {
        // RFC 9112 §6.3 rule 8: the connection closes with this response, so no chunk framing is needed
        var framing = write(Status.OK, Headers.of("Connection", "close"), UNKNOWN_LENGTH, GET_11);
        assertEquals(BodyFraming.UNTIL_CLOSE, framing);
        var body = BodyEncoder.of(framing);
        body.encode(ascii("data: x\n\n"), out);
        assertEquals("HTTP/1.1 200 OK\r\nConnection: close\r\n" + DATE + "\r\ndata: x\n\n", out.text());
        assertTrue(Http1Writer.willClose(framing, GET_11, Headers.of("Connection", "close")));
    }

    @Test
    void headKeepsTheLengthAGetWouldHaveHadButHasNoBody() {
        // RFC 9110 §9.3.2: the same header fields as GET; RFC 9112 §6.3 rule 1: no content
        assertEquals(BodyFraming.EMPTY, write(Status.OK, Headers.of("Content-Type", "text/html"), 1234, HEAD_11));
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 1234\r\n" + DATE + "\r\n", out.text());

        out.clear();
        assertEquals(BodyFraming.EMPTY, write(Status.OK, Headers.of("content-length", "77"), UNKNOWN_LENGTH, HEAD_11));
        assertEquals("HTTP/1.1 200 OK\r\ncontent-length: 77\r\n" + DATE + "\r\n", out.text());

        out.clear();
        assertEquals(BodyFraming.EMPTY, write(Status.OK, new Headers(), UNKNOWN_LENGTH, HEAD_11));
        assertEquals("HTTP/1.1 200 OK\r\n" + DATE + "\r\n", out.text(), "unknown length: neither length nor chunked");
    }

    @Test
    void headMayRepeatTransferEncodingExceptToHttp10() {
        // RFC 9110 §9.3.2: a HEAD reply may carry the GET reply's fields; RFC 9112 §6.1: never TE to HTTP/1.0
        var headers = Headers.of("Transfer-Encoding", "chunked");
        assertEquals(BodyFraming.EMPTY, write(Status.OK, headers, UNKNOWN_LENGTH, HEAD_11));
        assertEquals("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n" + DATE + "\r\n", out.text());
        out.clear();
        assertEquals(BodyFraming.EMPTY, write(Status.OK, headers, UNKNOWN_LENGTH, new RequestInfo(Method.HEAD, Version.HTTP_1_0, false)));
        assertEquals("HTTP/1.1 200 OK\r\nConnection: close\r\n" + DATE + "\r\n", out.text());
    }

    @Test
    void noContentNeverCarriesContentLengthOrTransferEncoding() {
        // RFC 9110 §8.6 and RFC 9112 §6.1: MUST NOT send either in a 204
        var headers = Headers.of("Content-Length", "0", "X-A", "1", "Transfer-Encoding", "chunked");
        assertEquals(BodyFraming.EMPTY, write(Status.NO_CONTENT, headers, 0, GET_11));
        assertEquals("HTTP/1.1 204 No Content\r\nX-A: 1\r\n" + DATE + "\r\n", out.text());
    }

    @Test
    void notModifiedHasNoBodyAndKeepsOnlyACallersOwnLength() {
        // RFC 9110 §15.4.5, §8.6: a 304 may repeat the 200's Content-Length, never invent one
        assertEquals(BodyFraming.EMPTY, write(Status.NOT_MODIFIED, Headers.of("ETag", "\"v1\""), 10, GET_11));
        assertEquals("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n" + DATE + "\r\n", out.text());

        out.clear();
        assertEquals(BodyFraming.EMPTY, write(Status.NOT_MODIFIED, Headers.of("Content-Length", "10"), UNKNOWN_LENGTH, GET_11));
        assertEquals("HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n" + DATE + "\r\n", out.text());
    }

    @Test
    void http10KeepAliveIsConfirmed() {
        // RFC 9112 §C.2.2: HTTP/1.0 persists only when both sides say keep-alive; RFC 9110 §6.2: we answer 1.1
        var request = new RequestInfo(Method.GET, Version.HTTP_1_0, true);
        var framing = write(Status.OK, new Headers(), 2, request);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n" + DATE + "\r\n", out.text());
        assertFalse(Http1Writer.willClose(framing, request, Headers.empty()));
    }

    @Test
    void http10WithoutKeepAliveCloses() {
        // RFC 9112 §9.3: an HTTP/1.0 request without keep-alive closes after the response
        var request = new RequestInfo(Method.GET, Version.HTTP_1_0, false);
        var framing = write(Status.OK, new Headers(), 2, request);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n" + DATE + "\r\n", out.text());
        assertTrue(Http1Writer.willClose(framing, request, Headers.empty()));
    }

    @Test
    void unknownLengthToHttp10EndsAtCloseEvenIfKeepAliveWasAsked() {
        // RFC 9112 §6.1: no Transfer-Encoding to HTTP/1.0; §6.3 rule 8: the close delimits the body
        var request = new RequestInfo(Method.GET, Version.HTTP_1_0, true);
        var framing = write(Status.OK, Headers.of("Content-Type", "text/event-stream"), UNKNOWN_LENGTH, request);
        assertEquals(BodyFraming.UNTIL_CLOSE, framing);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n" + DATE + "\r\n", out.text());
        assertTrue(Http1Writer.willClose(framing, request, Headers.empty()));
    }

    @Test
    void http11RequestThatSaidCloseHearsClose() {
        // RFC 9112 §9.6: a server that will close says so
        var request = new RequestInfo(Method.GET, Version.HTTP_1_1, false);
        var framing = write(Status.OK, new Headers(), 0, request);
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n" + DATE + "\r\n", out.text());
        assertTrue(Http1Writer.willClose(framing, request, Headers.empty()));
    }

    @Test
    void callersConnectionCloseIsNotRepeatedAndDecidesTheClose() {
        // RFC 9112 §9.6
        var headers = Headers.of("connection", "Close");
        var framing = write(Status.OK, headers, 0, GET_11);
        assertEquals("HTTP/1.1 200 OK\r\nconnection: Close\r\nContent-Length: 0\r\n" + DATE + "\r\n", out.text());
        assertTrue(Http1Writer.willClose(framing, GET_11, headers));
    }

    @Test
    void callersOwnDateIsKept() {
        // RFC 9110 §6.6.1: one Date, the caller's if it set one
        write(Status.OK, Headers.of("date", "Mon, 01 Jan 2024 00:00:00 GMT"), 0, GET_11);
        assertEquals("HTTP/1.1 200 OK\r\ndate: Mon, 01 Jan 2024 00:00:00 GMT\r\nContent-Length: 0\r\n\r\n", out.text());
    }

    @Test
    void continueIsAnInterimHeadWithoutBodyOrDate() {
        // RFC 9110 §15.2.1: 100 Continue; §15.2: 1xx ends at the blank line
        writer.writeInterim(Status.CONTINUE, Headers.empty(), out);
        assertEquals("HTTP/1.1 100 Continue\r\n\r\n", out.text());

        out.clear();
        writer.writeInterim(Status.of(103), Headers.of("Link", "</s.css>; rel=preload", "Content-Length", "3"), out);
        assertEquals("HTTP/1.1 103 \r\nLink: </s.css>; rel=preload\r\n\r\n", out.text());

        assertThrows(UsageViolation.class, () -> writer.writeInterim(Status.OK, Headers.empty(), out));
    }

    @Test
    void switchingProtocolsThroughResponseHeadIsInterimShaped() {
        // RFC 9110 §15.2.2: 101 carries no content; the caller owns Connection: upgrade (§7.8)
        var headers = Headers.of("Upgrade", "websocket", "Connection", "Upgrade");
        assertEquals(BodyFraming.EMPTY, write(Status.SWITCHING_PROTOCOLS, headers, UNKNOWN_LENGTH, GET_11));
        assertEquals("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n", out.text());
    }

    @Test
    void callersContentLengthFieldDecidesTheFraming() {
        // RFC 9110 §8.6
        assertEquals(new BodyFraming.Fixed(12), write(Status.OK, Headers.of("Content-Length", "12"), UNKNOWN_LENGTH, GET_11));
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n" + DATE + "\r\n", out.text());
        out.clear();
        assertEquals(new BodyFraming.Fixed(12), write(Status.OK, Headers.of("Content-Length", "12"), 12, GET_11));
    }

    @Test
    void noBodyIsAZeroLength() {
        // RFC 9112 §6.3 rule 8 would otherwise read to the close; Content-Length: 0 ends it at once
        assertEquals(new BodyFraming.Fixed(0), write(Status.NOT_FOUND, new Headers(), NO_BODY, GET_11));
        assertEquals("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n" + DATE + "\r\n", out.text());
    }

    @Test
    void statusLinesForUnregisteredCodesAndCustomReasons() {
        // RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ]
        write(Status.of(299), new Headers(), 0, GET_11);
        assertTrue(out.text().startsWith("HTTP/1.1 299 \r\n"), out.text());
        out.clear();
        write(Status.of(200, "Fine"), new Headers(), 0, GET_11);
        assertTrue(out.text().startsWith("HTTP/1.1 200 Fine\r\n"), out.text());
    }

    @Test
    void namesAsSpelledAndLatin1ValuesAsSingleBytes() {
        // RFC 9110 §5.5: obs-text is sent as the octet it is
        write(Status.OK, Headers.of("x-CuStOm", "caf\u00e9"), 0, GET_11);
        byte[] bytes = out.bytes();
        String expected = "HTTP/1.1 200 OK\r\nx-CuStOm: caf\u00e9\r\nContent-Length: 0\r\n" + DATE + "\r\n";
        assertArrayEquals(expected.getBytes(StandardCharsets.ISO_8859_1), bytes);
    }

    @Test
    void largeHeadsGrowTheScratchAndStayOneWrite() {
        String big = "v".repeat(20_000);
        write(Status.OK, Headers.of("X-Big", big), 0, GET_11);
        assertEquals(1, out.writes);
        assertTrue(out.text().contains("X-Big: " + big + "\r\n"));
        out.clear();
        write(Status.OK, new Headers(), 0, GET_11);   // the grown scratch is reused from the start
        assertEquals("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n" + DATE + "\r\n", out.text());
    }

    @Test
    void misuseIsAUsageViolationAndWritesNothing() {
        // RFC 9110 §8.6: Content-Length = 1*DIGIT, one value; RFC 9112 §6.1: framing is the writer's
        assertMisuse(() -> write(Status.OK, Headers.of("Content-Length", "12"), 13, GET_11));
        assertMisuse(() -> write(Status.OK, Headers.of("Content-Length", "abc"), UNKNOWN_LENGTH, GET_11));
        assertMisuse(() -> write(Status.OK, Headers.of("Content-Length", "-1"), UNKNOWN_LENGTH, GET_11));
        assertMisuse(() -> write(Status.OK, Headers.of("Content-Length", ""), UNKNOWN_LENGTH, GET_11));
        assertMisuse(() -> write(Status.OK, Headers.of("Content-Length", "1", "Content-Length", "1"), 1, GET_11));
        assertMisuse(() -> write(Status.OK, Headers.of("Transfer-Encoding", "chunked"), UNKNOWN_LENGTH, GET_11));
        assertMisuse(() -> write(Status.OK, new Headers(), -3, GET_11));
        // RFC 9112 §4: a reason phrase with CR LF would split the response
        assertMisuse(() -> write(Status.of(200, "OK\r\nSet-Cookie: x=1"), new Headers(), 0, GET_11));
    }

    private void assertMisuse(Executable call) {
        assertThrows(UsageViolation.class, call);
        assertEquals(0, out.writes, "nothing reaches the sink before every check has passed");
    }

    private static ByteBuffer ascii(String s) { return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)); }
}
