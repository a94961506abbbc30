package dev.weft.protocol.http1;

import dev.weft.protocol.http.ByteSink;

import java.util.Arrays;

/**
 * A growable byte array that message heads are formatted into, then handed to a {@link ByteSink}
 * in one call. Reused from message to message by its owner (one {@link Http1Writer} per loop), so
 * a steady stream of responses allocates nothing here once it has grown to fit the largest head.
 *
 * <p>Strings are written as ISO-8859-1, one byte per char: every string that reaches it is a
 * token, a request-target, or a field value that {@link dev.weft.protocol.http.Headers} already
 * checked to be free of chars above 0xFF (RFC 9110 §5.5), so nothing is validated again here.
 */
final class WriteBuffer {
    private byte[] bytes;
    private int size;

    WriteBuffer(int capacity) { bytes = new byte[capacity]; }

    void clear() { size = 0; }

    int size() { return size; }

    /** Hands the bytes to {@code out}, which copies them (ByteSink's contract), and clears. */
    void drainTo(ByteSink out) {
        out.write(bytes, 0, size);
        size = 0;
    }

    WriteBuffer put(byte b) {
        room(1);
        bytes[size++] = b;
        return this;
    }

    WriteBuffer put(byte[] b) {
        room(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    /**
     * The low byte of each char: ISO-8859-1 for the chars this class is given (see above).
     * {@code String.getBytes(int, int, byte[], int)} does exactly that without allocating, which is
     * why this one deprecated method is used.
     */
    @SuppressWarnings("deprecation")
    WriteBuffer latin1(String s) {
        int n = s.length();
        room(n);
        s.getBytes(0, n, bytes, size);
        size += n;
        return this;
    }

    WriteBuffer crlf() {
        room(2);
        bytes[size++] = '\r';
        bytes[size++] = '\n';
        return this;
    }

    /** {@code name: value\r\n}. */
    WriteBuffer field(String name, String value) {
        room(name.length() + value.length() + 4);
        latin1(name);
        bytes[size++] = ':';
        bytes[size++] = ' ';
        latin1(value);
        return crlf();
    }

    /** {@code n >= 0} in decimal, without a String. */
    WriteBuffer decimal(long n) {
        int digits = 1;
        for (long rest = n / 10; rest > 0; rest /= 10) digits++;
        room(digits);
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) ('0' + n % 10);
            n /= 10;
        }
        size += digits;
        return this;
    }

    /** {@code n > 0} in lowercase hex, without leading zeros (a chunk size, RFC 9112 §7.1). */
    WriteBuffer hex(long n) {
        int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(n) + 3) / 4);
        room(digits);
        for (int i = size + digits - 1; i >= size; i--) {
            bytes[i] = (byte) "0123456789abcdef".charAt((int) (n & 0xF));
            n >>>= 4;
        }
        size += digits;
        return this;
    }

    private void room(int extra) {
        if (size + extra > bytes.length) bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + extra));
    }
}
