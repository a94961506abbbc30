package dev.weft.protocol.internal;

/**
 * Byte classification by lookup table (ARCHITECTURE.md convention 4): a negative {@code byte} cast to
 * {@code char} surprises, and {@link Character} methods know Unicode, which HTTP does not.
 * Every method takes the raw byte; {@code b & 0xFF} indexes the tables.
 */
public final class Ascii {
    private Ascii() {}

    private static final boolean[] TCHAR = new boolean[256];
    private static final boolean[] FIELD_VCHAR = new boolean[256];
    private static final boolean[] TARGET = new boolean[256];
    private static final byte[] HEX = new byte[256];
    private static final byte[] LOWER = new byte[256];

    static {
        // tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
        // (RFC 9110 §5.6.2)
        for (char c : "!#$%&'*+-.^_`|~".toCharArray()) TCHAR[c] = true;
        for (int c = '0'; c <= '9'; c++) TCHAR[c] = true;
        for (int c = 'a'; c <= 'z'; c++) TCHAR[c] = true;
        for (int c = 'A'; c <= 'Z'; c++) TCHAR[c] = true;
        // field-value characters: VCHAR / obs-text, plus SP and HTAB inside a value (RFC 9110 §5.5).
        // CR, LF, NUL and other controls are not allowed.
        for (int c = 0x21; c <= 0x7E; c++) FIELD_VCHAR[c] = true;
        for (int c = 0x80; c <= 0xFF; c++) FIELD_VCHAR[c] = true;
        FIELD_VCHAR[' '] = true;
        FIELD_VCHAR['\t'] = true;
        // request-target: visible ASCII only (RFC 9112 §3.2, RFC 3986); anything else is a 400.
        for (int c = 0x21; c <= 0x7E; c++) TARGET[c] = true;
        for (int i = 0; i < 256; i++) HEX[i] = -1;
        for (int c = '0'; c <= '9'; c++) HEX[c] = (byte) (c - '0');
        for (int c = 'a'; c <= 'f'; c++) HEX[c] = (byte) (c - 'a' + 10);
        for (int c = 'A'; c <= 'F'; c++) HEX[c] = (byte) (c - 'A' + 10);
        for (int i = 0; i < 256; i++) LOWER[i] = (byte) (i >= 'A' && i <= 'Z' ? i + 32 : i);
    }

    /** A token character (RFC 9110 §5.6.2). */
    public static boolean isTchar(byte b) { return TCHAR[b & 0xFF]; }

    /** A byte allowed inside a field value: VCHAR, obs-text, SP or HTAB. */
    public static boolean isFieldValueByte(byte b) { return FIELD_VCHAR[b & 0xFF]; }

    /** A byte allowed in a request-target: visible ASCII. */
    public static boolean isTargetByte(byte b) { return TARGET[b & 0xFF]; }

    /** 0..15 for a hex digit, else -1. */
    public static int hexValue(byte b) { return HEX[b & 0xFF]; }

    public static byte toLower(byte b) { return LOWER[b & 0xFF]; }

    public static boolean isDigit(byte b) { return b >= '0' && b <= '9'; }

    /** True if {@code s} is a non-empty token. */
    public static boolean isToken(CharSequence s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF || !TCHAR[c]) return false;
        }
        return true;
    }

    /** True if {@code s} may be sent as a field value: no CR, LF, NUL or other controls. */
    public static boolean isFieldValue(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF || !FIELD_VCHAR[c]) return false;
        }
        return true;
    }

    /** True if {@code bytes[from, from + s.length())} spells {@code s} exactly (ASCII). */
    public static boolean regionEquals(byte[] bytes, int from, String s) {
        int n = s.length();
        if (from + n > bytes.length) return false;
        for (int i = 0; i < n; i++) {
            if (bytes[from + i] != (byte) s.charAt(i)) return false;
        }
        return true;
    }

    /** Like {@link #regionEquals} but ignoring ASCII case; {@code lower} must be lowercase. */
    public static boolean regionEqualsLower(byte[] bytes, int from, String lower) {
        int n = lower.length();
        if (from + n > bytes.length) return false;
        for (int i = 0; i < n; i++) {
            if (LOWER[bytes[from + i] & 0xFF] != (byte) lower.charAt(i)) return false;
        }
        return true;
    }

    /** ASCII case-insensitive equality; no locale, no Unicode folding. */
    public static boolean equalsIgnoreCase(String a, String b) {
        if (a == b) return true;
        int n = a.length();
        if (n != b.length()) return false;
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i), y = b.charAt(i);
            if (x != y) {
                if (x <= 0xFF) x = (char) (LOWER[x] & 0xFF);
                if (y <= 0xFF) y = (char) (LOWER[y] & 0xFF);
                if (x != y) return false;
            }
        }
        return true;
    }
}
