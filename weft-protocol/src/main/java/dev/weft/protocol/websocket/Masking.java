package dev.weft.protocol.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The XOR of RFC 6455 §5.3: payload byte {@code i} is XORed with byte {@code i % 4} of the masking
 * key, which is its own inverse, so one function masks and unmasks. Every byte a server reads and
 * every byte a client sends goes through here, so it works a long (eight bytes) at a time: the
 * key, rotated to the payload offset where the run starts, repeated twice to fill the long.
 * Nothing is allocated.
 */
final class Masking {
    private Masking() {}

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** The key rotated so that its highest byte applies to payload offset {@code offset}. */
    private static int phase(int key, long offset) { return Integer.rotateLeft(key, (int) (offset & 3) << 3); }

    private static long twice(int k) { return (k & 0xFFFF_FFFFL) << 32 | (k & 0xFFFF_FFFFL); }

    /**
     * XORs {@code b[from, from + n)} in place, by absolute index, with {@code key} (first key byte
     * highest) as if the run began at payload offset {@code offset}. Either byte order.
     */
    static void unmask(ByteBuffer b, int from, int n, int key, long offset) {
        int k = phase(key, offset);
        int i = from;
        int end = from + n;
        if (n >= 8) {
            long k8 = twice(k);
            if (b.order() == ByteOrder.LITTLE_ENDIAN) k8 = Long.reverseBytes(k8);
            for (; i <= end - 8; i += 8) b.putLong(i, b.getLong(i) ^ k8);
        }
        for (; i < end; i++) {                      // i - from is a multiple of 8: the phase still holds
            b.put(i, (byte) (b.get(i) ^ (k >>> 24)));
            k = Integer.rotateLeft(k, 8);
        }
    }

    /** As {@link #unmask(ByteBuffer, int, int, int, long)}, over an array. */
    static void unmask(byte[] a, int from, int n, int key, long offset) {
        int k = phase(key, offset);
        int i = from;
        int end = from + n;
        if (n >= 8) {
            long k8 = twice(k);
            for (; i <= end - 8; i += 8) LONGS.set(a, i, (long) LONGS.get(a, i) ^ k8);
        }
        for (; i < end; i++) {
            a[i] ^= (byte) (k >>> 24);
            k = Integer.rotateLeft(k, 8);
        }
    }
}
