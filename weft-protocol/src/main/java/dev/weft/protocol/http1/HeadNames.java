package dev.weft.protocol.http1;

import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.internal.Ascii;

import java.nio.charset.StandardCharsets;

/**
 * Field names as the parser hands them out: lowercase, and for every name in
 * {@link FieldName#COMMON} the very String instance there, found without allocating.
 *
 * <p>The lookup is a table keyed by length and the low five bits of the first byte (the same
 * for both cases of a letter), so a name is compared with at most a couple of candidates, byte
 * by byte, ignoring case. It is the header cache of Jetty and Helidon in its smallest form; the
 * weft-bench parser benchmark is what justifies it.
 */
final class HeadNames {
    private HeadNames() {}

    private static final int MAX_LENGTH = 32;
    private static final String[][] BY_KEY = new String[MAX_LENGTH << 5][];

    static {
        for (String name : FieldName.COMMON) {
            int k = key(name.length(), (byte) name.charAt(0));
            String[] old = BY_KEY[k];
            String[] grown = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = name;
            BY_KEY[k] = grown;
        }
    }

    private static int key(int length, byte first) { return (length << 5) | (first & 0x1F); }

    /**
     * The name spelled by {@code a[from, to)} (a non-empty token), lowercased; {@code scratch}
     * is borrowed to lowercase an uncommon mixed-case name and may be replaced by a larger one.
     */
    static String of(byte[] a, int from, int to, Scratch scratch) {
        int length = to - from;
        if (length < MAX_LENGTH) {
            String[] candidates = BY_KEY[key(length, a[from])];
            if (candidates != null) {
                for (String c : candidates) {
                    if (Ascii.regionEqualsLower(a, from, c)) return c;
                }
            }
        }
        return lowercase(a, from, to, scratch);
    }

    private static String lowercase(byte[] a, int from, int to, Scratch scratch) {
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
