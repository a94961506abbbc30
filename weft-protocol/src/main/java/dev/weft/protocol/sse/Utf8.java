package dev.weft.protocol.sse;

/**
 * UTF-8 for the encoder, in two passes over a String (measure, then write) so that an encoding is
 * built straight into an array of its exact size, without the temporary array that
 * {@code String.getBytes} would make per value. The bytes are those of
 * {@code getBytes(StandardCharsets.UTF_8)}, a lone surrogate included: it becomes {@code ?}.
 */
final class Utf8 {
    private Utf8() {}

    /** Bytes that {@code s[from, to)} takes in UTF-8. */
    static int length(String s, int from, int to) {
        int n = to - from;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) continue;
            if (c < 0x800) n += 1;
            else if (isPair(s, i, to)) {
                n += 2;                 // 4 bytes for 2 chars
                i++;
            } else if (!Character.isSurrogate(c)) n += 2;
        }
        return n;
    }

    /** Writes {@code s[from, to)} at {@code out[at]}; returns the index after the last byte. */
    static int write(String s, int from, int to, byte[] out, int at) {
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | c >> 6);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else if (isPair(s, i, to)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[at++] = (byte) (0xF0 | cp >> 18);
                out[at++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[at++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                out[at++] = '?';
            } else {
                out[at++] = (byte) (0xE0 | c >> 12);
                out[at++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return at;
    }

    private static boolean isPair(String s, int i, int to) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1));
    }
}
