package dev.weft.protocol.http1;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.*;

/** IMF-fixdate (RFC 9110 §5.6.7) without java.time, checked against java.time. */
class DateCacheTest {
    /** RFC_1123_DATE_TIME prints "6 Nov"; IMF-fixdate needs "06 Nov" (day = 2DIGIT). */
    private static final DateTimeFormatter IMF_FIXDATE =
        DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
        784111777     | Sun, 06 Nov 1994 08:49:37 GMT
        0             | Thu, 01 Jan 1970 00:00:00 GMT
        1709164800    | Thu, 29 Feb 2024 00:00:00 GMT
        1709251199    | Thu, 29 Feb 2024 23:59:59 GMT
        1795338303    | Sun, 22 Nov 2026 09:05:03 GMT
        4107542399    | Sun, 28 Feb 2100 23:59:59 GMT
        4107542400    | Mon, 01 Mar 2100 00:00:00 GMT
        253402300799  | Fri, 31 Dec 9999 23:59:59 GMT
        -62135596800  | Mon, 01 Jan 0001 00:00:00 GMT
        -1            | Wed, 31 Dec 1969 23:59:59 GMT
        """)
    void knownInstants(long epochSeconds, String expected) {
        // RFC 9110 §5.6.7's own example is the first row; 2100 is not a leap year (divisible by 100).
        assertEquals(expected, DateCache.format(epochSeconds));
    }

    @Test
    void yearsAnImfFixdateCannotSpellAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DateCache.format(253402300800L));
        assertThrows(IllegalArgumentException.class, () -> DateCache.format(-62135596801L));
    }

    @Property(tries = 2000)
    void agreesWithJavaTime(@ForAll @LongRange(min = 0, max = 253402300799L) long epochSeconds) {
        assertEquals(IMF_FIXDATE.format(Instant.ofEpochSecond(epochSeconds)), DateCache.format(epochSeconds));
    }

    @Property(tries = 500)
    void agreesWithJavaTimeBefore1970(@ForAll @LongRange(min = -62135596800L, max = -1) long epochSeconds) {
        assertEquals(IMF_FIXDATE.format(Instant.ofEpochSecond(epochSeconds)), DateCache.format(epochSeconds));
    }

    @Test
    void updateChangesTheTextOnlyWhenTheSecondChanges() {
        var cache = new DateCache(784111777_000L);
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", cache.value());
        byte[] before = cache.headerLine();
        assertEquals("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n", new String(before, StandardCharsets.ISO_8859_1));

        assertFalse(cache.update(784111777_999L));
        assertSame(before, cache.headerLine());

        assertTrue(cache.update(784111778_000L));
        assertEquals("Sun, 06 Nov 1994 08:49:38 GMT", cache.value());
        assertEquals("Date: Sun, 06 Nov 1994 08:49:38 GMT\r\n", new String(cache.headerLine(), StandardCharsets.ISO_8859_1));
        // replaced, not mutated: a line already handed to a sink keeps its bytes
        assertNotSame(before, cache.headerLine());
        assertEquals("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n", new String(before, StandardCharsets.ISO_8859_1));

        assertTrue(cache.update(784111777_500L), "a clock that steps back changes the text too");
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", cache.value());
    }

    @Test
    void millisecondsBeforeTheEpochRoundDown() {
        assertEquals("Wed, 31 Dec 1969 23:59:59 GMT", new DateCache(-1).value());
    }
}
