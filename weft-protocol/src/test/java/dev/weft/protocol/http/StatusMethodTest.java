package dev.weft.protocol.http;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class StatusMethodTest {
    @Test
    void registeredStatusesAreSingletonsWithReasons() {
        assertSame(Status.NOT_FOUND, Status.of(404));
        assertEquals("Request Header Fields Too Large", Status.of(431).reason());
        assertEquals("", Status.of(299).reason());
        assertEquals(299, Status.of(299).code());
        assertThrows(IllegalArgumentException.class, () -> Status.of(99));
        assertThrows(IllegalArgumentException.class, () -> Status.of(600));
    }

    @Test
    void contentIsForbiddenFor1xx204And304() {
        assertFalse(Status.CONTINUE.allowsContent());
        assertFalse(Status.NO_CONTENT.allowsContent());
        assertFalse(Status.NOT_MODIFIED.allowsContent());
        assertTrue(Status.OK.allowsContent());
        assertTrue(Status.NOT_FOUND.allowsContent());
    }

    @Test
    void methodsAreCaseSensitiveTokens() {
        assertSame(Method.GET, Method.of("GET"));
        assertNotSame(Method.GET, Method.of("get"));
        assertEquals("PROPFIND", Method.of("PROPFIND").name());
        assertThrows(IllegalArgumentException.class, () -> Method.of("GE T"));
        assertThrows(IllegalArgumentException.class, () -> Method.of(""));
        assertTrue(Method.GET.isSafe());
        assertFalse(Method.POST.isIdempotent());
    }

    @Test
    void everyViolationNamesItsRuleAndStatus() {
        for (Violation v : Violation.values()) {
            assertTrue(v.rfc().startsWith("RFC ") || v.rfc().startsWith("WHATWG HTML §"), v.name());
            assertTrue(v.status().isError(), v.name());
        }
        var e = new PeerViolation(Violation.BARE_CR, "at byte 7");
        assertSame(Violation.BARE_CR, e.violation());
        assertEquals(0, e.getStackTrace().length, "peer violations carry no stack trace");
        assertTrue(new UsageViolation("twice").getStackTrace().length > 0, "usage violations keep theirs");
    }
}
