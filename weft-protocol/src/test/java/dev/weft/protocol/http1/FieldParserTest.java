package dev.weft.protocol.http1;

import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.testing.Feed;
import dev.weft.protocol.testing.Vectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static dev.weft.protocol.http.Violation.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Field lines and line endings (RFC 9112 §2.2, §5), the same rules for requests (server role)
 * and responses (client role): each test runs in both roles, whole and at every split.
 */
class FieldParserTest {
    /** A message in this role's direction with the given raw field section (each line with its own ending). */
    private static String message(Role role, String rawFields) {
        String start = role == Role.SERVER ? "GET / HTTP/1.1\r\nHost: x\r\n" : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n";
        return start + rawFields;
    }

    private static Http1Parser parser(Role role) {
        var parser = new Http1Parser(role, Http1Limits.DEFAULTS);
        if (role == Role.CLIENT) parser.requestSent(Method.GET);
        return parser;
    }

    private static Violation violation(Role role, String rawFields) {
        return Feed.violation(() -> parser(role), Vectors.bytes(message(role, rawFields)), false);
    }

    private static Headers headers(Role role, String rawFields) {
        List<Object> events = Feed.events(() -> parser(role), Vectors.bytes(message(role, rawFields)), false);
        return switch (events.getFirst()) {
            case Http1Event.RequestHead h -> h.headers();
            case Http1Event.ResponseHead h -> h.headers();
            default -> throw new AssertionError(events);
        };
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §5.1: no whitespace between name and colon
    void whitespaceBeforeTheColonIsRejected(Role role) {
        assertEquals(WHITESPACE_BEFORE_COLON, violation(role, "X-A : 1\r\n\r\n"));
        assertEquals(WHITESPACE_BEFORE_COLON, violation(role, "X-A\t: 1\r\n\r\n"));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9110 §5.1: field-name = token, then ':'
    void fieldNamesAreTokens(Role role) {
        assertEquals(BAD_FIELD_NAME, violation(role, "X(A): 1\r\n\r\n"));
        assertEquals(BAD_FIELD_NAME, violation(role, ": 1\r\n\r\n"));
        assertEquals(BAD_FIELD_NAME, violation(role, "X-A 1\r\n\r\n"));
        assertEquals(BAD_FIELD_NAME, violation(role, "X A: 1\r\n\r\n"));
        assertEquals(BAD_FIELD_NAME, violation(role, "Caf\u00e9: 1\r\n\r\n"));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §5.2: obs-fold is rejected, not unfolded
    void obsFoldIsRejected(Role role) {
        assertEquals(OBS_FOLD, violation(role, "X-A: 1\r\n 2\r\n\r\n"));
        assertEquals(OBS_FOLD, violation(role, "X-A: 1\r\n\t2\r\n\r\n"));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9110 §5.5: no CTL, NUL or DEL in a value
    void controlBytesInValuesAreRejected(Role role) {
        assertEquals(BAD_FIELD_VALUE, violation(role, "X-A: a\u0000b\r\n\r\n"));
        assertEquals(BAD_FIELD_VALUE, violation(role, "X-A: a\u007fb\r\n\r\n"));
        assertEquals(BAD_FIELD_VALUE, violation(role, "X-A: \u0001\r\n\r\n"));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §2.2: a bare LF ends no line here
    void bareLfIsRejected(Role role) {
        assertEquals(BARE_LF, violation(role, "X-A: 1\n\r\n"));
        assertEquals(BARE_LF, violation(role, "X-A: 1\r\n\n"));
        String start = role == Role.SERVER ? "GET / HTTP/1.1\nHost: x\r\n\r\n" : "HTTP/1.1 200 OK\n\r\n";
        assertEquals(BARE_LF, Feed.violation(() -> parser(role), Vectors.bytes(start), false));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9112 §2.2: a CR is only ever part of CRLF
    void bareCrIsRejected(Role role) {
        assertEquals(BARE_CR, violation(role, "X-A: a\rb\r\n\r\n"));
        assertEquals(BARE_CR, violation(role, "X-A: 1\r\r\n\r\n"));
        assertEquals(BARE_CR, violation(role, "X-A: 1\r\n\r\r\n"));
        assertEquals(BARE_CR, violation(role, "X\rA: 1\r\n\r\n"));
        String start = role == Role.SERVER ? "GET / HTTP/1.1\rHost: x\r\n\r\n" : "HTTP/1.1 200 O\rK\r\n\r\n";
        assertEquals(BARE_CR, Feed.violation(() -> parser(role), Vectors.bytes(start), false));
    }

    @ParameterizedTest @EnumSource(Role.class)  // RFC 9110 §5.1, §5.5: names lowercased, values trimmed of OWS, obs-text kept
    void namesAreLoweredAndValuesTrimmed(Role role) {
        Headers h = headers(role, "X-Mixed-Case:  a b \t\r\nX-Empty:\r\nX-Text: caf\u00e9\r\n\r\n");
        assertEquals("x-mixed-case", h.name(h.size() - 3));
        assertEquals("a b", h.value(h.size() - 3));
        assertEquals("", h.value(h.size() - 2));
        assertEquals("caf\u00e9", h.value(h.size() - 1));
    }

    @ParameterizedTest @EnumSource(Role.class)  // FieldName: common names come back as those very instances
    void commonNamesAreTheFieldNameInstances(Role role) {
        var raw = new StringBuilder();
        for (String name : FieldName.COMMON) {
            if (!name.equals(FieldName.CONTENT_LENGTH) && !name.equals(FieldName.HOST) && !name.equals(FieldName.TRANSFER_ENCODING)
                && !name.equals(FieldName.CONNECTION) && !name.equals(FieldName.UPGRADE)) {
                raw.append(name.toUpperCase(java.util.Locale.ROOT)).append(": v\r\n");
            }
        }
        Headers h = headers(role, raw.append("\r\n").toString());
        int common = 0;
        for (int i = 0; i < h.size(); i++) {
            String name = h.name(i);
            String constant = FieldName.COMMON.stream().filter(name::equals).findFirst().orElseThrow();
            assertSame(constant, name);
            common++;
        }
        assertEquals(h.size(), common);
    }
}
