package dev.weft.protocol.http1;

import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.Violation;

import java.util.Arrays;

/**
 * Cuts a head (or a trailer section) into lines, so {@link HeadParser} only ever sees whole lines.
 *
 * <p>Theory of operation. {@link #scan} looks for the LF that ends the current line, in at most
 * {@code window} bytes (the budget the caller has left for this line, LF included). When the whole
 * line is in the caller's array, the line is handed out in place: no copy (the fast path, taken for
 * every line of a head that arrived in one read). When the array ends first, the bytes are kept in
 * {@link #scratch} and consumed, and the next scan appends to them; scratch grows only as far as the
 * window, so a peer can never make us buffer more than the limits allow. A line that fills its
 * whole window without an LF trips {@code tooLong} at once: the limit trips as the bytes arrive,
 * not after buffering more (ARCHITECTURE.md convention 6).
 *
 * <p>Only LF is searched for here; whether it was preceded by CR, and whether a CR hides inside a
 * line, is {@link HeadParser}'s business, since it looks at every byte anyway.
 */
final class HeadLines {
    private static final int FIRST_SCRATCH = 256;

    private byte[] scratch = new byte[FIRST_SCRATCH];
    private int kept;

    private boolean complete;
    private byte[] lineArray;
    private int lineFrom;
    private int lineLf;

    /**
     * Looks for the end of the current line in {@code a[from, to)}, which must not be empty.
     *
     * @param window how many bytes the whole line may take, LF included (kept bytes count too)
     * @param tooLong what to throw when the window fills up without an LF
     * @return how many bytes of {@code a} were consumed; {@link #complete()} says whether a line is ready
     */
    int scan(byte[] a, int from, int to, int window, Violation tooLong) {
        int room = Math.max(window - kept, 0);
        int stop = to - from > room ? from + room : to;
        int at = HeadScan.indexOf(a, from, stop, (byte) '\n');
        if (at < stop) {
            lineFound(a, from, at);
            return at + 1 - from;
        }
        if (stop - from == room) {
            throw new PeerViolation(tooLong, "no line end within " + window + " bytes");
        }
        keep(a, from, to, window);
        complete = false;
        return to - from;
    }

    private void lineFound(byte[] a, int from, int lf) {
        complete = true;
        if (kept == 0) {
            lineArray = a;
            lineFrom = from;
            lineLf = lf;
            return;
        }
        keep(a, from, lf + 1, kept + lf + 1 - from);
        lineArray = scratch;
        lineFrom = 0;
        lineLf = kept - 1;
        kept = 0;               // the line stays readable in scratch until the next scan appends
    }

    private void keep(byte[] a, int from, int to, int cap) {
        int need = kept + (to - from);
        if (need > scratch.length) {
            scratch = Arrays.copyOf(scratch, Math.max(need, Math.min(scratch.length * 2, cap)));
        }
        System.arraycopy(a, from, scratch, kept, to - from);
        kept = need;
    }

    /** True after a scan that found a whole line: {@link #array()}{@code [from(), lf()]}. */
    boolean complete() { return complete; }

    byte[] array() { return lineArray; }

    int from() { return lineFrom; }

    /** The index of the line's LF in {@link #array()}. */
    int lf() { return lineLf; }

    /** True if part of a line is waiting for its end. */
    boolean pending() { return kept > 0; }
}
