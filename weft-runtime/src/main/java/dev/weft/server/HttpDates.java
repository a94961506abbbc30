package dev.weft.server;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * HTTP dates (RFC 9110 §5.6.7), in whole seconds since the epoch: read in any of the three forms
 * a recipient must accept, written as IMF-fixdate.
 */
public final class HttpDates {
    /** RFC 850's form without its weekday, which a two-digit year would make inconsistent (1994 read as 2094). */
    private static final DateTimeFormatter RFC_850 = DateTimeFormatter.ofPattern("dd-MMM-yy HH:mm:ss 'GMT'", Locale.ROOT);
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT);
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);

    /** One date and its text. */
    private record Pair(long seconds, String text) {}

    // The last date read and the last written: a publish answers thousands of long-polls with one
    // Last-Modified, and their re-polls bring the same If-Modified-Since back; java.time's
    // formatters would otherwise be a good part of each answer's cost. Immutable pairs, so a
    // plain volatile field is enough between threads.
    private static volatile Pair lastParsed = new Pair(Long.MIN_VALUE, "");
    private static volatile Pair lastFormatted = new Pair(Long.MIN_VALUE, "");

    private HttpDates() {}

    /** Seconds since the epoch, or {@link Long#MIN_VALUE} when absent or not an HTTP-date. */
    public static long parse(String value) {
        if (value == null || value.length() > 64) return Long.MIN_VALUE;
        Pair last = lastParsed;
        if (last.text().equals(value)) return last.seconds();
        long seconds = parseAnyForm(value);
        lastParsed = new Pair(seconds, value);
        return seconds;
    }

    private static long parseAnyForm(String value) {
        String v = value.trim();
        for (DateTimeFormatter f : new DateTimeFormatter[] {DateTimeFormatter.RFC_1123_DATE_TIME, RFC_850, ASCTIME}) {
            try {
                if (f == DateTimeFormatter.RFC_1123_DATE_TIME) return ZonedDateTime.parse(v, f).toEpochSecond();
                int comma = v.indexOf(", ");
                String text = f == RFC_850 ? (comma < 0 ? v : v.substring(comma + 2)) : v;
                LocalDateTime t = LocalDateTime.parse(text, f);
                if (f == RFC_850 && t.getYear() > LocalDateTime.now(ZoneOffset.UTC).getYear() + 50) t = t.minusYears(100);  // §5.6.7
                return t.toEpochSecond(ZoneOffset.UTC);
            } catch (DateTimeParseException notThisForm) {
                // try the next
            }
        }
        return Long.MIN_VALUE;
    }

    /** An IMF-fixdate, as Date and Last-Modified are sent. */
    public static String format(long epochSeconds) {
        Pair last = lastFormatted;
        if (last.seconds() == epochSeconds) return last.text();
        String text = IMF_FIXDATE.format(Instant.ofEpochSecond(epochSeconds).atOffset(ZoneOffset.UTC));
        lastFormatted = new Pair(epochSeconds, text);
        return text;
    }
}
