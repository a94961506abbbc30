package dev.weft.protocol.http1;

import java.nio.charset.StandardCharsets;

/**
 * The {@code Date} header value (RFC 9110 §6.6.1), formatted at most once a second as an
 * IMF-fixdate (RFC 9110 §5.6.7), e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}.
 *
 * <p>The protocol module has no clock (ARCHITECTURE.md rule 7): the runtime calls {@link #update} with
 * the current time, say once per loop iteration, and every response written until the next
 * change shares the same bytes. {@link #headerLine()} is replaced, never mutated, so a writer
 * may hand it on while a later {@code update} builds the next one.
 *
 * <p>No {@code java.time} (the architecture test forbids it here): the civil date comes from
 * Howard Hinnant's {@code civil_from_days}, https://howardhinnant.github.io/date_algorithms.html,
 * which is exact for the proleptic Gregorian calendar with no tables and no loops.
 *
 * <p>Not thread-safe: one per event loop.
 */
public final class DateCache {
    /** 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the years an IMF-fixdate's four digits can spell. */
    static final long MIN_SECOND = -62_135_596_800L, MAX_SECOND = 253_402_300_799L;

    private static final byte[] DAY_NAMES = "SunMonTueWedThuFriSat".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] MONTH_NAMES = "JanFebMarAprMayJunJulAugSepOctNovDec".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] PREFIX = "Date: ".getBytes(StandardCharsets.ISO_8859_1);
    private static final int LENGTH = 29;   // "Sun, 06 Nov 1994 08:49:37 GMT"

    private long second;
    private String value;
    private byte[] headerLine;

    /** A cache showing the second that holds {@code epochMillis}. */
    public DateCache(long epochMillis) {
        show(Math.floorDiv(epochMillis, 1000));
    }

    /** Moves to the second that holds {@code epochMillis}; true if the text changed. */
    public boolean update(long epochMillis) {
        long s = Math.floorDiv(epochMillis, 1000);
        if (s == second) return false;
        show(s);
        return true;
    }

    /** The current value, e.g. {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    public String value() { return value; }

    /**
     * {@code Date: <value>\r\n} as ISO-8859-1 bytes. The array is shared: do not change it. An
     * {@link #update} that changes the text makes a new array, so one already handed out stays valid.
     */
    public byte[] headerLine() { return headerLine; }

    /**
     * The IMF-fixdate of {@code epochSeconds} (RFC 9110 §5.6.7).
     *
     * @throws IllegalArgumentException outside the years 1 to 9999
     */
    public static String format(long epochSeconds) {
        var text = new byte[LENGTH];
        formatInto(epochSeconds, text, 0);
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    private void show(long s) {
        var line = new byte[PREFIX.length + LENGTH + 2];
        System.arraycopy(PREFIX, 0, line, 0, PREFIX.length);
        formatInto(s, line, PREFIX.length);
        line[line.length - 2] = '\r';
        line[line.length - 1] = '\n';
        second = s;
        headerLine = line;
        value = new String(line, PREFIX.length, LENGTH, StandardCharsets.ISO_8859_1);
    }

    /** Writes the 29 bytes of the IMF-fixdate of {@code s} at {@code out[at]}. */
    private static void formatInto(long s, byte[] out, int at) {
        if (s < MIN_SECOND || s > MAX_SECOND) {
            throw new IllegalArgumentException("outside the years 1..9999: " + s);
        }
        long days = Math.floorDiv(s, 86_400L);
        int secondOfDay = (int) Math.floorMod(s, 86_400L);
        int weekday = (int) Math.floorMod(days + 4, 7L);   // 1970-01-01 was a Thursday (4; Sunday is 0)

        // civil_from_days (Hinnant): shift the epoch to 0000-03-01 so the leap day ends the year,
        // then split into 400-year eras of 146097 days.
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097L);
        int doe = (int) (z - era * 146_097);                               // [0, 146096]
        int yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;  // [0, 399]
        int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                  // [0, 365]
        int mp = (5 * doy + 2) / 153;                                       // [0, 11], March = 0
        int day = doy - (153 * mp + 2) / 5 + 1;                             // [1, 31]
        int month = mp < 10 ? mp + 3 : mp - 9;                              // [1, 12]
        int year = (int) (yoe + era * 400) + (month <= 2 ? 1 : 0);

        System.arraycopy(DAY_NAMES, weekday * 3, out, at, 3);
        out[at + 3] = ',';
        out[at + 4] = ' ';
        twoDigits(day, out, at + 5);
        out[at + 7] = ' ';
        System.arraycopy(MONTH_NAMES, (month - 1) * 3, out, at + 8, 3);
        out[at + 11] = ' ';
        twoDigits(year / 100, out, at + 12);
        twoDigits(year % 100, out, at + 14);
        out[at + 16] = ' ';
        twoDigits(secondOfDay / 3600, out, at + 17);
        out[at + 19] = ':';
        twoDigits(secondOfDay / 60 % 60, out, at + 20);
        out[at + 22] = ':';
        twoDigits(secondOfDay % 60, out, at + 23);
        out[at + 25] = ' ';
        out[at + 26] = 'G';
        out[at + 27] = 'M';
        out[at + 28] = 'T';
    }

    private static void twoDigits(int n, byte[] out, int at) {
        out[at] = (byte) ('0' + n / 10);
        out[at + 1] = (byte) ('0' + n % 10);
    }
}
