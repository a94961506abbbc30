package dev.weft.protocol.websocket;

import dev.weft.protocol.http.UsageViolation;

/**
 * UTF-8 encoding of a CharSequence into an array the caller owns, in pieces, without the
 * String and byte[] that {@code String.getBytes} makes: sending text is a hot path. A lone
 * surrogate cannot be encoded and is the caller's error (String.getBytes would send '?',
 * which changes the text without a word).
 */
final class Utf8 {
    private Utf8() {}

    /** Bytes a code point never exceeds in UTF-8. */
    static final int MAX_BYTES_PER_CHAR = 4;

    /** The length of {@code s} in UTF-8. */
    static long encodedLength(CharSequence s) {
        long n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) n++;
            else if (c < 0x800) n += 2;
            else if (!Character.isSurrogate(c)) n += 3;
            else {
                if (!Character.isHighSurrogate(c) || i + 1 == len || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new UsageViolation("text has a lone surrogate at char " + i + ": it has no UTF-8 form");
                }
                n += 4;
                i++;
            }
        }
        return n;
    }

    /**
     * Encodes chars of {@code s} from {@code from} into {@code dst[off, end)}, whole characters
     * only, until the chars or the room run out. Returns the next char index in the high 32 bits
     * and the bytes written in the low 32. {@link #encodedLength} must have checked {@code s}.
     */
    static long encode(CharSequence s, int from, byte[] dst, int off, int end) {
        int i = from;
        int o = off;
        int len = s.length();
        while (i < len && o + MAX_BYTES_PER_CHAR <= end) {
            char c = s.charAt(i++);
            if (c < 0x80) {
                dst[o++] = (byte) c;
            } else if (c < 0x800) {
                dst[o++] = (byte) (0xC0 | c >> 6);
                dst[o++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                dst[o++] = (byte) (0xE0 | c >> 12);
                dst[o++] = (byte) (0x80 | c >> 6 & 0x3F);
                dst[o++] = (byte) (0x80 | c & 0x3F);
            } else {
                int cp = Character.toCodePoint(c, s.charAt(i++));
                dst[o++] = (byte) (0xF0 | cp >> 18);
                dst[o++] = (byte) (0x80 | cp >> 12 & 0x3F);
                dst[o++] = (byte) (0x80 | cp >> 6 & 0x3F);
                dst[o++] = (byte) (0x80 | cp & 0x3F);
            }
        }
        return (long) i << 32 | (o - off);
    }
}
