package dev.weft.protocol.http1;

import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.http1.Http1Event.EndOfMessage;
import dev.weft.protocol.http1.Http1Event.RequestHead;
import dev.weft.protocol.http1.Http1Event.Signal;
import dev.weft.protocol.testing.Events;
import dev.weft.protocol.testing.Feed;
import dev.weft.protocol.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.List;

import static dev.weft.protocol.http.Violation.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Every limit of Http1Limits at its boundary: the limit passes, one more byte (or line) fails
 * with the limit's Violation, and the failure comes as the bytes arrive, not after buffering more.
 */
class ParserLimitsTest {
    private static final Http1Limits SMALL = Http1Limits.DEFAULTS.withMaxRequestLine(64).withMaxHeaderBytes(100)
        .withMaxHeaderCount(4).withMaxBodyBytes(10).withMaxChunkExtensionBytes(8);

    private static Http1Parser parser(Role role) {
        var parser = new Http1Parser(role, SMALL);
        if (role == Role.CLIENT) parser.requestSent(Method.POST);
        return parser;
    }

    private static Violation violation(Role role, String wire) {
        return Feed.violation(() -> parser(role), Vectors.bytes(wire), false);
    }

    private static List<Object> events(Role role, String wire) {
        return Feed.events(() -> parser(role), Vectors.bytes(wire), false);
    }

    /** A start line of exactly {@code length} bytes, CRLF not counted. */
    private static String startLine(Role role, int length) {
        return role == Role.SERVER
            ? "GET /" + "a".repeat(length - 14) + " HTTP/1.1"
            : "HTTP/1.1 200 " + "r".repeat(length - 13);
    }

    private static String fieldsFor(Role role) { return role == Role.SERVER ? "Host: x\r\n" : "Content-Length: 0\r\n"; }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §3 / §4: the start line is bounded by maxRequestLine (414)
    void startLineLimitTripsAtTheBoundary(Role role) {
        assertInstanceOf(Http1Event.class, events(role, startLine(role, 64) + "\r\n" + fieldsFor(role) + "\r\n").getFirst());
        assertEquals(REQUEST_LINE_TOO_LONG, violation(role, startLine(role, 65) + "\r\n" + fieldsFor(role) + "\r\n"));
        assertEquals(414, REQUEST_LINE_TOO_LONG.status().code());
    }

    @ParameterizedTest @EnumSource(Role.class)  // ARCHITECTURE.md convention 6: the limit trips as the bytes arrive
    void startLineLimitTripsWithoutWaitingForTheLineEnd(Role role) {
        byte[] line = Vectors.bytes(startLine(role, 80));
        var p = parser(role);
        p.feed(ByteBuffer.wrap(line, 0, 65));
        assertSame(Signal.NEED_MORE, p.next());                 // 65 bytes: could still be 64 + CR
        p.feed(ByteBuffer.wrap(line, 65, 1));
        var e = assertThrows(PeerViolation.class, p::next);     // 66 bytes and no LF: too long, no more reads needed
        assertEquals(REQUEST_LINE_TOO_LONG, e.violation());
    }

    @Test  // Http1Limits: the largest limits mean "no practical limit", not an overflow
    void maximalLimitsDoNotOverflow() {
        var huge = new Http1Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(Vectors.get("/", "host", "x"),
            Feed.events(() -> new Http1Parser(Role.SERVER, huge), Vectors.bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), false).getFirst());
    }

    @Test  // RFC 9112 §2.2: empty lines before the request-line count toward the line limit
    void leadingEmptyLinesCountTowardTheLineLimit() {
        String line = startLine(Role.SERVER, 60);                 // 62 with its CRLF; the budget is 64 + 2
        assertInstanceOf(RequestHead.class, events(Role.SERVER, "\r\n" + line + "\r\nHost: x\r\n\r\n").getFirst());
        assertEquals(REQUEST_LINE_TOO_LONG, violation(Role.SERVER, "\r\n\r\n\r\n" + line + "\r\nHost: x\r\n\r\n"));
        assertEquals(REQUEST_LINE_TOO_LONG, violation(Role.SERVER, "\r\n".repeat(40)));
    }

    /** A field section of exactly {@code bytes} bytes, final CRLF included, in at most 2 lines. */
    private static String section(Role role, int bytes) {
        String first = fieldsFor(role);
        return first + "X: " + "v".repeat(bytes - first.length() - 5 - 2) + "\r\n\r\n";
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 6585 §5: the field section, final CRLF included, is bounded (431)
    void headerSectionLimitTripsAtTheBoundary(Role role) {
        String start = startLine(role, 20) + "\r\n";
        assertInstanceOf(Http1Event.class, events(role, start + section(role, 100)).getFirst());
        assertEquals(HEADER_SECTION_TOO_LARGE, violation(role, start + section(role, 101)));
        assertEquals(431, HEADER_SECTION_TOO_LARGE.status().code());
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 6585 §5: the number of field lines is bounded (431)
    void fieldCountLimitTripsAtTheBoundary(Role role) {
        String start = startLine(role, 20) + "\r\n" + fieldsFor(role);
        assertInstanceOf(Http1Event.class, events(role, start + "A: 1\r\nB: 2\r\nC: 3\r\n\r\n").getFirst());
        assertEquals(TOO_MANY_FIELDS, violation(role, start + "A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n"));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §7.1.2: trailers get a fresh budget of their own
    void trailersHaveTheirOwnBudget(Role role) {
        String head = role == Role.SERVER ? "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
            : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n";
        String padding = "P: " + "p".repeat(100 - (head.length() - head.indexOf("\r\n") - 2) - 5 - 2) + "\r\n";
        String fullHead = head + padding + "\r\n";
        String trailers96 = "T: " + "t".repeat(100 - 5 - 2) + "\r\n";
        assertEquals(EndOfMessage.class, events(role, fullHead + "0\r\n" + trailers96 + "\r\n").getLast().getClass());
        assertEquals(HEADER_SECTION_TOO_LARGE, violation(role, fullHead + "0\r\nT: " + "t".repeat(94) + "\r\n\r\n"));
        assertEquals(EndOfMessage.class, events(role, fullHead + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n").getLast().getClass());
        assertEquals(TOO_MANY_FIELDS, violation(role, fullHead + "0\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n"));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9110 §15.5.14: a declared length over the body limit is 413
    void contentLengthOverTheBodyLimitFailsAfterTheHead(Role role) {
        String head = role == Role.SERVER ? "POST / HTTP/1.1\r\nHost: x\r\n" : "HTTP/1.1 200 OK\r\n";
        assertEquals(Events.data("0123456789"), events(role, head + "Content-Length: 10\r\n\r\n0123456789").get(1));
        var p = parser(role);
        p.feed(ByteBuffer.wrap(Vectors.bytes(head + "Content-Length: 11\r\n\r\n01234567890")));
        assertInstanceOf(Http1Event.class, p.next());             // the head comes first, so a 413 can be answered
        assertEquals(BODY_TOO_LARGE, assertThrows(PeerViolation.class, p::next).violation());
    }

    @Test  // Http1Parser.bodyLimit: a streaming handler raises the limit, a strict one lowers it
    void bodyLimitChangesTheLimitForThisMessage() {
        var p = parser(Role.SERVER);
        p.feed(ByteBuffer.wrap(Vectors.bytes("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 20\r\n\r\n01234567890123456789"
            + "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n01234")));
        assertInstanceOf(RequestHead.class, p.next());
        p.bodyLimit(20);
        assertEquals(20, ((Http1Event.Body) p.next()).bytes().remaining());
        assertSame(EndOfMessage.NO_TRAILERS, p.next());
        assertInstanceOf(RequestHead.class, p.next());           // the next message starts from the default again
        p.bodyLimit(4);
        assertEquals(BODY_TOO_LARGE, assertThrows(PeerViolation.class, p::next).violation());
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9110 §15.5.14: a chunked body trips when its total passes the limit
    void chunkedTotalTripsAtTheBoundary(Role role) {
        String head = role == Role.SERVER ? "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertEquals(Events.data("0123456789"), events(role, head + "6\r\n012345\r\n4\r\n6789\r\n0\r\n\r\n").get(1));
        assertEquals(BODY_TOO_LARGE, violation(role, head + "6\r\n012345\r\n5\r\n6789a\r\n0\r\n\r\n"));
    }

    @Test  // RFC 9110 §15.5.14: an until-close body trips when its total passes the limit
    void untilCloseTotalTripsAtTheBoundary() {
        assertEquals(Events.data("0123456789"),
            Feed.events(() -> parser(Role.CLIENT), Vectors.bytes("HTTP/1.1 200 OK\r\n\r\n0123456789"), true).get(1));
        assertEquals(BODY_TOO_LARGE, Feed.violation(() -> parser(Role.CLIENT), Vectors.bytes("HTTP/1.1 200 OK\r\n\r\n0123456789a"), true));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §7.1.1: extension bytes per message are bounded (CVE-2024-22019)
    void chunkExtensionLimitTripsAtTheBoundary(Role role) {
        String head = role == Role.SERVER ? "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        // 8 bytes over the message: " ;a" (3) on the first chunk, ";bcde" (5) on the last
        assertEquals(EndOfMessage.class, events(role, head + "1 ;a\r\nx\r\n0;bcde\r\n\r\n").getLast().getClass());
        assertEquals(CHUNK_EXTENSION_TOO_LONG, violation(role, head + "1 ;a\r\nx\r\n0;bcdef\r\n\r\n"));
        assertEquals(CHUNK_EXTENSION_TOO_LONG, violation(role, head + "1" + " ".repeat(9)));
    }
}
