package dev.weft.protocol.http1;

import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.internal.Ascii;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Field names as the parser hands them out: lowercase, and for every name in
 * {@link FieldName#COMMON} the very String instance there, found without allocating.
 *
 * <p>The lookup is a table keyed by length and the low five bits of the first byte (the same for
 * both cases of a letter), so a name meets at most a couple of candidates, each compared eight
 * bytes at a time. Common names are all letters and '-': OR-ing 0x20 into the letter positions
 * lowercases exactly the two cases of each letter, and '-' is compared as is, so a match also
 * proves every byte a tchar and the caller may skip its own check. It is the header cache of Jetty
 * and Helidon in its smallest form; the weft-bench parser benchmark is what justifies it.
 */
final class HeadNames {
    private HeadNames() {}

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final int MAX_LENGTH = 32;
    private static final Known[][] BY_KEY = new Known[MAX_LENGTH << 5][];

    /**
     * A common name as words to compare: for a name of 8 bytes or more, each whole word and then
     * the last 8 bytes (overlapping); for a shorter one, one word padded with zeros.
     */
    private record Known(String name, long[] words, long[] letters) {
        static Known of(String name) {
            byte[] b = name.getBytes(StandardCharsets.ISO_8859_1);
            int n = b.length;
            int count = n < 8 ? 1 : (n + 7) / 8;
            long[] words = new long[count];
            long[] letters = new long[count];
            for (int k = 0; k < count; k++) {
                int at = n < 8 ? 0 : Math.min(8 * k, n - 8);
                for (int j = 0; j < Math.min(8, n - at); j++) {
                    words[k] |= (b[at + j] & 0xFFL) << (8 * j);
                    if (b[at + j] != '-') letters[k] |= 0x20L << (8 * j);
                }
            }
            return new Known(name, words, letters);
        }

        /** True if {@code a[from, from + name.length())} spells the name in any case (room for a word at from). */
        boolean matches(byte[] a, int from) {
            int n = name.length();
            if (n < 8) return (((long) LONGS.get(a, from) | letters[0]) & ((1L << (8 * n)) - 1)) == words[0];
            int last = words.length - 1;
            for (int k = 0; k < last; k++) {
                if (((long) LONGS.get(a, from + 8 * k) | letters[k]) != words[k]) return false;
            }
            return ((long) LONGS.get(a, from + n - 8) | letters[last]) == words[last];
        }
    }

    static {
        for (String name : FieldName.COMMON) {
            if (!name.matches("[a-z-]+") || name.length() >= MAX_LENGTH) {
                throw new ExceptionInInitializerError("common names must be [a-z-]+ and short: " + name);
            }
            int k = key(name.length(), (byte) name.charAt(0));
            Known[] old = BY_KEY[k];
            Known[] grown = old == null ? new Known[1] : java.util.Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = Known.of(name);
            BY_KEY[k] = grown;
        }
    }

    private static int key(int length, byte first) { return (length << 5) | (first & 0x1F); }

    /**
     * The common name spelled by {@code a[from, to)} in any case, or null. The bytes need not have
     * been checked: a match proves them tchars. {@code a} must hold 8 bytes from {@code from}.
     */
    static String common(byte[] a, int from, int to) {
        int length = to - from;
        if (length <= 0 || length >= MAX_LENGTH) return null;
        Known[] candidates = BY_KEY[key(length, a[from])];
        if (candidates == null) return null;
        for (Known c : candidates) {
            if (c.matches(a, from)) return c.name;
        }
        return null;
    }

    /**
     * The name spelled by {@code a[from, to)}, a token the caller has checked, lowercased;
     * {@code scratch} is borrowed to lowercase an uncommon mixed-case name.
     */
    static String of(byte[] a, int from, int to, Scratch scratch) {
        String common = a.length - from >= 8 ? common(a, from, to) : null;
        return common != null ? common : lowercase(a, from, to, scratch);
    }

    /** {@code a[from, to)}, a token, lowercased, as a new String. */
    static String lowercase(byte[] a, int from, int to, Scratch scratch) {
        int upper = from;
        while (upper < to && (a[upper] < 'A' || a[upper] > 'Z')) upper++;
        if (upper == to) return new String(a, from, to - from, StandardCharsets.ISO_8859_1);
        byte[] lower = scratch.bytes(to - from);
        for (int i = from; i < to; i++) lower[i - from] = Ascii.toLower(a[i]);
        return new String(lower, 0, to - from, StandardCharsets.ISO_8859_1);
    }

    /** A reusable byte array owned by one parser. */
    static final class Scratch {
        private byte[] bytes = new byte[64];

        byte[] bytes(int length) {
            if (bytes.length < length) bytes = new byte[Math.max(length, bytes.length * 2)];
            return bytes;
        }
    }
}
