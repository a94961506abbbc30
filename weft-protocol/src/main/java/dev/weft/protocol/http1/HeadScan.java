package dev.weft.protocol.http1;

import dev.weft.protocol.internal.Ascii;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Byte searches over a head, eight bytes at a time (SWAR: "SIMD within a register"). Most of a
 * head is field values, so finding where a value ends is the parser's inner loop; the weft-bench
 * parser benchmark is what justifies doing it a word at a time (ARCHITECTURE.md convention 15).
 *
 * <p>The tricks are the classic ones from "Bit Twiddling Hacks": {@code (x - 0x01..) & ~x & 0x80..}
 * flags the bytes of {@code x} that are zero, and with {@code 0x20..} those below 0x20. A borrow can
 * flag a byte above a true hit, never below one, so the lowest flag (the first byte in memory, as
 * words are read little-endian) is always exact.
 */
final class HeadScan {
    private HeadScan() {}

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long DEL = 0x7F7F7F7F7F7F7F7FL;
    private static final long SPACE = 0x2020202020202020L;

    /** The index of the first {@code b} in {@code a[from, to)}, or {@code to}. */
    static int indexOf(byte[] a, int from, int to, byte b) {
        long pattern = (b & 0xFFL) * ONES;
        int i = from;
        for (; i <= to - 8; i += 8) {
            long x = (long) LONGS.get(a, i) ^ pattern;
            long zeros = (x - ONES) & ~x & HIGHS;
            if (zeros != 0) return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
        }
        while (i < to && a[i] != b) i++;
        return i;
    }

    /**
     * The index of the first byte in {@code a[from, to)} that may not appear in a field value
     * ({@link Ascii#isFieldValueByte}: a control other than HTAB, or DEL), or {@code to}. In a
     * well-formed field line that byte is the CR of its CRLF.
     */
    static int fieldValueEnd(byte[] a, int from, int to) {
        int i = from;
        while (i <= to - 8) {
            long x = (long) LONGS.get(a, i);
            long del = x ^ DEL;
            long flags = ((x - SPACE) & ~x & HIGHS) | ((del - ONES) & ~del & HIGHS);
            if (flags == 0) {
                i += 8;
                continue;
            }
            i += Long.numberOfTrailingZeros(flags) >>> 3;
            if (a[i] != '\t') return i;
            i++;                                   // HTAB is allowed in a value: go on after it
        }
        while (i < to && Ascii.isFieldValueByte(a[i])) i++;
        return i;
    }
}
