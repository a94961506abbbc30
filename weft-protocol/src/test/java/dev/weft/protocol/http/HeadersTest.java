package dev.weft.protocol.http;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class HeadersTest {
    @Test
    void namesCompareWithoutCaseAndKeepOrder() {
        var h = Headers.of("Content-Type", "text/plain", "X-A", "1", "x-a", "2");
        assertEquals(Optional.of("text/plain"), h.first("content-type"));
        assertEquals(List.of("1", "2"), h.all("X-a"));
        assertEquals(2, h.count("X-A"));
        assertEquals("X-A", h.name(1));
        assertEquals("x-a", h.name(2));
        assertEquals("fallback", h.firstOr("missing", "fallback"));
    }

    @Test
    void setReplacesAllInPlaceOfTheFirst() {
        var h = Headers.of("a", "1", "b", "2", "A", "3");
        h.set("a", "9");
        assertEquals(Headers.of("a", "9", "b", "2"), h);
    }

    @Test
    void removeReturnsHowManyWentAndKeepsTheRestInOrder() {
        var h = Headers.of("a", "1", "b", "2", "A", "3", "c", "4");
        assertEquals(2, h.remove("A"));
        assertEquals(Headers.of("b", "2", "c", "4"), h);
        assertEquals(0, h.remove("zzz"));
    }

    @Test
    void tokensInCommaListsIgnoreCaseAndWhitespace() {
        var h = Headers.of("Connection", "keep-alive, Upgrade", "connection", "\tClose ");
        assertTrue(h.containsToken("connection", "upgrade"));
        assertTrue(h.containsToken("connection", "close"));
        assertFalse(h.containsToken("connection", "keep"));
        assertFalse(h.containsToken("connection", "alive"));
    }

    @Test
    void refusesWhatCouldSplitAMessage() {
        var h = new Headers();
        assertThrows(IllegalArgumentException.class, () -> h.add("bad name", "x"));
        assertThrows(IllegalArgumentException.class, () -> h.add("name:", "x"));
        assertThrows(IllegalArgumentException.class, () -> h.add("", "x"));
        assertThrows(IllegalArgumentException.class, () -> h.add("x", "a\r\nInjected: yes"));
        assertThrows(IllegalArgumentException.class, () -> h.add("x", "nul\0"));
        assertThrows(IllegalArgumentException.class, () -> h.set("x", "a\nb"));
        assertEquals(0, h.size());
    }

    @Test
    void theSharedEmptyHeadersCannotChange() {
        assertThrows(UnsupportedOperationException.class, () -> Headers.empty().add("a", "b"));
        assertThrows(UnsupportedOperationException.class, () -> Headers.empty().set("a", "b"));
        assertEquals(0, Headers.empty().remove("a"));
        assertTrue(Headers.empty().isEmpty());
    }

    @Test
    void copyIsIndependent() {
        var h = Headers.of("a", "1");
        var c = h.copy();
        c.add("b", "2");
        assertEquals(1, h.size());
        assertEquals(2, c.size());
    }

    @Property
    void lookupIgnoresAsciiCase(@ForAll @AlphaChars @StringLength(min = 1, max = 20) String name,
                                @ForAll @AlphaChars String value) {
        var h = new Headers().add(name, value);
        assertEquals(Optional.of(value), h.first(name.toUpperCase(java.util.Locale.ROOT)));
        assertEquals(Optional.of(value), h.first(name.toLowerCase(java.util.Locale.ROOT)));
    }
}
