package dev.weft.protocol.http1;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.http1.Http1Event.EndOfMessage;
import dev.weft.protocol.testing.Events;
import dev.weft.protocol.testing.Feed;
import dev.weft.protocol.testing.Vectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static dev.weft.protocol.http.Violation.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The chunked coding (RFC 9112 §7.1) in both roles: a chunked request to a server, a chunked
 * response to a client. Each input runs whole, byte by byte and at every two-way split.
 */
class ChunkedParserTest {
    private static String message(Role role, String chunkedBody) {
        String head = role == Role.SERVER
            ? "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        return head + chunkedBody;
    }

    private static Http1Parser parser(Role role, Http1Limits limits) {
        var parser = new Http1Parser(role, limits);
        if (role == Role.CLIENT) parser.requestSent(Method.POST);
        return parser;
    }

    static Violation violation(Role role, String chunkedBody) {
        return violation(role, Http1Limits.DEFAULTS, chunkedBody);
    }

    static Violation violation(Role role, Http1Limits limits, String chunkedBody) {
        return Feed.violation(() -> parser(role, limits), Vectors.bytes(message(role, chunkedBody)), false);
    }

    /** The events after the head: body and end. */
    static List<Object> body(Role role, String chunkedBody) {
        return body(role, Http1Limits.DEFAULTS, chunkedBody);
    }

    static List<Object> body(Role role, Http1Limits limits, String chunkedBody) {
        List<Object> events = Feed.events(() -> parser(role, limits), Vectors.bytes(message(role, chunkedBody)), false);
        return events.subList(1, events.size());
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §7.1: chunk-size = 1*HEXDIG, either case; last-chunk = 1*("0")
    void sizesAreHexInEitherCase(Role role) {
        String sixteen = "0123456789abcdef";
        assertEquals(List.of(Events.data(sixteen + sixteen + "xyz"), EndOfMessage.NO_TRAILERS),
            body(role, "10\r\n" + sixteen + "\r\n0010\r\n" + sixteen + "\r\n3\r\nxyz\r\n000\r\n\r\n"));
        assertEquals(List.of(Events.data("x".repeat(0xAB)), EndOfMessage.NO_TRAILERS), body(role, "aB\r\n" + "x".repeat(0xAB) + "\r\n0\r\n\r\n"));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §7.1: no digits is no size
    void sizeWithoutDigitsIsBad(Role role) {
        assertEquals(BAD_CHUNK_SIZE, violation(role, "\r\n"));
        assertEquals(BAD_CHUNK_SIZE, violation(role, ";a=b\r\n"));
        assertEquals(BAD_CHUNK_SIZE, violation(role, "x\r\n"));
        assertEquals(BAD_CHUNK_SIZE, violation(role, "-1\r\n"));
        assertEquals(BAD_CHUNK_SIZE, violation(role, "1x\r\n"));
        assertEquals(BAD_CHUNK_SIZE, violation(role, "1 2\r\n"));
        assertEquals(BAD_CHUNK_SIZE, violation(role, "1 \r\nx\r\n0\r\n\r\n"));   // BWS only before ';'
        assertEquals(BAD_CHUNK_SIZE, violation(role, "3\r\nabc\r\n\r\n"));        // a missing last-chunk
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §7.1: the size is checked for overflow before it shifts
    void oversizedChunkSizeOverflows(Role role) {
        assertEquals(CHUNK_SIZE_OVERFLOW, violation(role, "10000000000000000\r\n"));
        assertEquals(CHUNK_SIZE_OVERFLOW, violation(role, "00ffffffffffffffff0\r\n"));
        assertEquals(BODY_TOO_LARGE, violation(role, "7fffffffffffffff\r\n"));     // fits, but over the body limit
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §7.1.1: extensions, with BWS before ';', are skipped
    void extensionsAreSkipped(Role role) {
        assertEquals(List.of(Events.data("abcd"), EndOfMessage.NO_TRAILERS),
            body(role, "2;a=b\r\nab\r\n2 \t; a = \"q;\\\"x\" ;b\r\ncd\r\n0;last\r\n\r\n"));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §7.1.1: extension bytes are field text
    void controlBytesInExtensionsAreRejected(Role role) {
        assertEquals(BAD_CHUNK_EXTENSION, violation(role, "1;a=\u0000\r\nx\r\n0\r\n\r\n"));
        assertEquals(BAD_CHUNK_EXTENSION, violation(role, "1;a\u007f\r\nx\r\n0\r\n\r\n"));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §7.1: chunk-data CRLF, exactly
    void dataMustBeFollowedByCrlf(Role role) {
        assertEquals(BAD_CHUNK_END, violation(role, "3\r\nabcd\r\n0\r\n\r\n"));
        assertEquals(BAD_CHUNK_END, violation(role, "3\r\nabc0\r\n\r\n"));
        assertEquals(BARE_LF, violation(role, "3\r\nabc\n0\r\n\r\n"));
        assertEquals(BARE_CR, violation(role, "3\r\nabc\r0\r\n\r\n"));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §2.2 in chunk framing: CRLF only
    void sizeLinesEndInCrlf(Role role) {
        assertEquals(BARE_LF, violation(role, "3\nabc\r\n0\r\n\r\n"));
        assertEquals(BARE_LF, violation(role, "3;x\nabc\r\n0\r\n\r\n"));
        assertEquals(BARE_CR, violation(role, "3\rabc\r\n0\r\n\r\n"));
        assertEquals(BARE_CR, violation(role, "3;x\rabc\r\n0\r\n\r\n"));
        assertEquals(BARE_LF, violation(role, "0\r\n\n"));
        assertEquals(BARE_CR, violation(role, "0\r\n\rX: 1\r\n\r\n"));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §7.1.2: trailer fields are parsed like header fields
    void trailersArrive(Role role) {
        assertEquals(List.of(Events.data("abc"), new EndOfMessage(Headers.of("x-sum", "1", "expires", "never"))),
            body(role, "3\r\nabc\r\n0\r\nX-Sum: 1\r\nExpires:  never \r\n\r\n"));
        assertSame(EndOfMessage.NO_TRAILERS, body(role, "0\r\n\r\n").getLast());
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §7.1.2 with §5: the field rules hold in trailers
    void trailersFollowTheFieldRules(Role role) {
        assertEquals(OBS_FOLD, violation(role, "0\r\nX: 1\r\n 2\r\n\r\n"));
        assertEquals(WHITESPACE_BEFORE_COLON, violation(role, "0\r\nX : 1\r\n\r\n"));
        assertEquals(BAD_FIELD_VALUE, violation(role, "0\r\nX: \u0000\r\n\r\n"));
        assertEquals(BARE_LF, violation(role, "0\r\nX: 1\n\r\n"));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §8: a close inside a chunked body is an incomplete message
    void feedEndInsideAChunkedBodyIsIncomplete(Role role) {
        for (String cut : List.of("", "3", "3\r\nab", "3\r\nabc\r\n", "0\r\n", "0\r\nX: 1\r\n")) {
            assertEquals(INCOMPLETE_MESSAGE,
                Feed.violation(() -> parser(role, Http1Limits.DEFAULTS), Vectors.bytes(message(role, cut)), true), cut);
        }
    }
}
