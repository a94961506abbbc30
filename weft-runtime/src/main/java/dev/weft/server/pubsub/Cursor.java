package dev.weft.server.pubsub;

import dev.weft.protocol.http.Headers;
import dev.weft.pubsub.Message;
import dev.weft.pubsub.Start;
import dev.weft.server.HttpDates;
import dev.weft.server.Request;

/**
 * Where a subscriber starts, read from its request the way Nchan reads it (docs/NCHAN.md N3 and
 * N12), and message ids written the way Nchan writes them (N1): {@code <seconds>:<tag>}.
 */
sealed interface Cursor {
    /** No cursor: the route's first-message rule applies. */
    enum None implements Cursor { NONE }

    /** A malformed id: 400 {@code Message ID invalid} (N13). */
    enum Invalid implements Cursor { INVALID }

    /** Start after the message with this Nchan id. */
    record After(long seconds, int tag) implements Cursor {
        Start start() { return new Start.AfterTime(seconds, tag); }
    }

    /** A message's id as Nchan writes it (N1). */
    static String idOf(Message m) { return m.seconds() + ":" + m.tag(); }

    /**
     * The cursor of {@code request} (N12): If-Modified-Since with If-None-Match; else an
     * If-None-Match that is a whole id; else (a Weft extension, N31) a request Etag that is a
     * whole id, which Nchan's own client sends when it resumes a long-poll; else Last-Event-ID,
     * then {@code ?last_event_id=}. Anything Nchan ignores is ignored here too.
     */
    static Cursor of(Request request) {
        Headers h = request.headers();
        String since = h.firstOr("if-modified-since", null);
        String match = h.firstOr("if-none-match", null);
        if (since != null) {
            if (match == null) return Invalid.INVALID;
            long seconds = HttpDates.parse(since);
            if (seconds == Long.MIN_VALUE) return Invalid.INVALID;
            if (seconds <= 0) return None.NONE;
            long tag = tag(match, 0, match.length());
            return tag == BAD ? Invalid.INVALID : new After(seconds, (int) tag);
        }
        if (match != null) return match.indexOf(':') < 0 ? None.NONE : parse(match);   // no ':': ignored, and so is the rest
        Cursor etag = parse(h.firstOr("etag", null));
        if (etag != None.NONE) return etag;
        String last = h.firstOr("last-event-id", "");
        if (last.isEmpty()) last = request.queryParam("last_event_id").orElse("");
        return parse(last);
    }

    /** An id sent by a client (N3): none without a ':' or with a time of 0 or less; invalid if malformed. */
    static Cursor parse(String text) {
        if (text == null) return None.NONE;
        int colon = text.indexOf(':');
        if (colon < 0) return None.NONE;
        if (colon == 0 || colon > 18 || text.length() > 64) return Invalid.INVALID;
        long seconds = 0;
        for (int i = 0; i < colon; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return Invalid.INVALID;
            seconds = seconds * 10 + (c - '0');
        }
        long tag = tag(text, colon + 1, text.length());
        if (tag == BAD) return Invalid.INVALID;
        return seconds <= 0 ? None.NONE : new After(seconds, (int) tag);
    }

    long BAD = Long.MIN_VALUE;

    /**
     * A tag as Nchan reads one (N3): digits make the number, a '-' anywhere makes it negative, a
     * lone '-' is -1, other bytes are skipped; a ',' (several channels' tags, N2) or a second
     * '[' is malformed here, where a URL names one channel.
     */
    private static long tag(String s, int from, int to) {
        long n = 0;
        boolean negative = false, digits = false;
        int brackets = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (n > Integer.MAX_VALUE / 10) return BAD;
                n = n * 10 + (c - '0');
                digits = true;
            } else if (c == '-') {
                negative = true;
            } else if (c == ',' || (c == '[' && ++brackets > 1)) {
                return BAD;
            }
        }
        if (!digits) return negative ? -1 : 0;
        return negative ? -n : n;
    }
}
