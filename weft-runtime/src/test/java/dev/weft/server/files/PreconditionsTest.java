package dev.weft.server.files;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import org.junit.jupiter.api.Test;

import static dev.weft.server.files.Preconditions.Outcome.NOT_MODIFIED;
import static dev.weft.server.files.Preconditions.Outcome.PRECONDITION_FAILED;
import static dev.weft.server.files.Preconditions.Outcome.PROCEED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 9110 §13.2.2's order, against the tag "v1" and a modification time of 784111777 (the RFC's example date). */
class PreconditionsTest {
    private static final String TAG = "\"v1\"";
    private static final long MODIFIED = 784111777L;                 // Sun, 06 Nov 1994 08:49:37 GMT
    private static final String DATE = "Sun, 06 Nov 1994 08:49:37 GMT";

    private static Preconditions.Outcome get(String... fields) { return eval(Method.GET, fields); }

    private static Preconditions.Outcome eval(Method m, String... fields) {
        var h = new Headers();
        for (int i = 0; i < fields.length; i += 2) h.add(fields[i], fields[i + 1]);
        return Preconditions.evaluate(m, h, TAG, MODIFIED);
    }

    @Test void ifNoneMatch() {
        assertEquals(NOT_MODIFIED, get("if-none-match", TAG));
        assertEquals(NOT_MODIFIED, get("if-none-match", "W/" + TAG), "weak comparison");
        assertEquals(NOT_MODIFIED, get("if-none-match", "\"x\", " + TAG));
        assertEquals(NOT_MODIFIED, get("if-none-match", "*"));
        assertEquals(PROCEED, get("if-none-match", "\"other\""));
        assertEquals(PRECONDITION_FAILED, eval(Method.PUT, "if-none-match", TAG), "not GET or HEAD: 412");
    }

    @Test void ifModifiedSinceInEveryDateForm() {
        assertEquals(NOT_MODIFIED, get("if-modified-since", DATE));
        assertEquals(NOT_MODIFIED, get("if-modified-since", "Sunday, 06-Nov-94 08:49:37 GMT"));
        assertEquals(NOT_MODIFIED, get("if-modified-since", "Sun Nov  6 08:49:37 1994"));
        assertEquals(PROCEED, get("if-modified-since", "Sun, 06 Nov 1994 08:49:36 GMT"));
        assertEquals(PROCEED, get("if-modified-since", "yesterday"), "an invalid date is ignored");
        assertEquals(PROCEED, get("if-none-match", "\"other\"", "if-modified-since", DATE), "If-None-Match wins");
    }

    @Test void ifMatchAndIfUnmodifiedSince() {
        assertEquals(PROCEED, get("if-match", TAG));
        assertEquals(PRECONDITION_FAILED, get("if-match", "W/" + TAG), "strong comparison");
        assertEquals(PRECONDITION_FAILED, get("if-match", "\"other\""));
        assertEquals(PROCEED, get("if-match", "*"));
        assertEquals(PRECONDITION_FAILED, get("if-unmodified-since", "Sun, 06 Nov 1994 08:49:36 GMT"));
        assertEquals(PROCEED, get("if-unmodified-since", DATE));
        assertEquals(PROCEED, get("if-match", TAG, "if-unmodified-since", "Sat, 01 Jan 1994 00:00:00 GMT"), "If-Match wins");
    }

    @Test void ifRange() {
        assertTrue(Preconditions.rangeApplies(new Headers(), TAG, MODIFIED));
        assertTrue(Preconditions.rangeApplies(Headers.of("if-range", TAG), TAG, MODIFIED));
        assertFalse(Preconditions.rangeApplies(Headers.of("if-range", "W/" + TAG), TAG, MODIFIED));
        assertFalse(Preconditions.rangeApplies(Headers.of("if-range", "\"old\""), TAG, MODIFIED));
        assertTrue(Preconditions.rangeApplies(Headers.of("if-range", DATE), TAG, MODIFIED));
        assertFalse(Preconditions.rangeApplies(Headers.of("if-range", "Sat, 05 Nov 1994 08:49:37 GMT"), TAG, MODIFIED));
    }

    @Test void datesAreWrittenAsImfFixdate() {
        assertEquals(DATE, Preconditions.formatDate(MODIFIED));
        assertEquals("Thu, 01 Jan 1970 00:00:05 GMT", Preconditions.formatDate(5));
    }
}
