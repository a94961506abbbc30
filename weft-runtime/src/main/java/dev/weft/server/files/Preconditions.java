package dev.weft.server.files;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;


/**
 * The conditional request headers of RFC 9110 §13, evaluated in the order of §13.2.2 against a
 * file's validators: a strong entity tag and its modification time (whole seconds, as HTTP dates
 * have). Dates in any of the three forms a recipient must accept (§5.6.7); one that does not
 * parse makes its header ignored, as the RFC asks.
 */
final class Preconditions {
    /** The outcome for the request as a whole. */
    enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    private Preconditions() {}

    static Outcome evaluate(Method method, Headers headers, String etag, long modifiedSeconds) {
        String ifMatch = headers.firstOr("if-match", null);
        if (ifMatch != null) {
            if (!matches(ifMatch, etag, true)) return Outcome.PRECONDITION_FAILED;            // step 1
        } else {
            long since = parseDate(headers.firstOr("if-unmodified-since", null));
            if (since >= 0 && modifiedSeconds > since) return Outcome.PRECONDITION_FAILED;  // step 2
        }
        boolean safe = method == Method.GET || method == Method.HEAD;
        String ifNoneMatch = headers.firstOr("if-none-match", null);
        if (ifNoneMatch != null) {
            if (matches(ifNoneMatch, etag, false)) return safe ? Outcome.NOT_MODIFIED : Outcome.PRECONDITION_FAILED;  // step 3
        } else if (safe) {
            long since = parseDate(headers.firstOr("if-modified-since", null));
            if (since >= 0 && modifiedSeconds <= since) return Outcome.NOT_MODIFIED;       // step 4
        }
        return Outcome.PROCEED;
    }

    /**
     * Whether a Range may be honoured (§13.1.5): without If-Range always; with it, only when its
     * entity tag matches strongly, or its date equals the modification time exactly.
     */
    static boolean rangeApplies(Headers headers, String etag, long modifiedSeconds) {
        String ifRange = headers.firstOr("if-range", null);
        if (ifRange == null) return true;
        String v = ifRange.trim();
        if (v.startsWith("\"") || v.startsWith("W/")) return !v.startsWith("W/") && v.equals(etag);
        return parseDate(v) == modifiedSeconds;
    }

    /** Whether a list of entity tags (or "*") matches {@code etag}; weak comparison unless strong. */
    static boolean matches(String list, String etag, boolean strong) {
        if (list.trim().equals("*")) return true;
        for (String candidate : list.split(",")) {
            String c = candidate.trim();
            boolean weak = c.startsWith("W/");
            if (weak) {
                if (strong) continue;
                c = c.substring(2);
            }
            if (c.equals(etag)) return true;
        }
        return false;
    }

    /** Seconds since the epoch, or -1 when absent or not an HTTP-date. */
    static long parseDate(String value) {
        long seconds = dev.weft.server.HttpDates.parse(value);
        return seconds == Long.MIN_VALUE ? -1 : seconds;
    }

    /** An IMF-fixdate, as Last-Modified is sent. */
    static String formatDate(long epochSeconds) { return dev.weft.server.HttpDates.format(epochSeconds); }
}
