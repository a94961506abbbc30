package dev.weft.protocol.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Checks that bytes are UTF-8 (RFC 3629 §4) as they arrive, piece by piece, and says at which
 * byte a sequence became impossible. A WebSocket text message must be valid UTF-8 as a whole,
 * but its pieces may split a character anywhere (RFC 6455 §5.6, §8.1), so the validator carries
 * the state of a half-read character from one call to the next.
 *
 * <h2>Theory of operation</h2>
 * A deterministic automaton in the manner of Björn Höhrmann's UTF-8 decoder: every byte is
 * first mapped to one of twelve classes by a 256-entry table, then the class and the current
 * state pick the next state from a transition table. The states remember how many continuation
 * bytes are still due and, right after the lead bytes E0, ED, F0 and F4, which narrower range the
 * next one must fall in; that is what rejects overlong forms (E0 80..9F, F0 80..8F), UTF-16
 * surrogates (ED A0..BF) and code points above U+10FFFF (F4 90..BF) at the second byte, not at
 * the end of the character. C0, C1 and F5..FF can never appear and are rejected where they stand.
 * Both tables are built below from those rules rather than typed in as numbers.
 *
 * <p>Between characters, eight bytes are tested at a time for the high bit: ASCII text, the
 * common case, goes through at a word per step. Nothing is allocated: checking text is on every
 * text frame's path (ARCHITECTURE.md convention 4).
 *
 * <p>Not thread-safe; one validator belongs to one message stream.
 */
public final class Utf8Validator {
    // States. ACCEPT is "between characters"; REJECT is final.
    private static final int ACCEPT = 0;
    private static final int REJECT = 1;
    private static final int TAIL1 = 2;         // one continuation byte (80..BF) due
    private static final int TAIL2 = 3;         // two due
    private static final int TAIL3 = 4;         // three due
    private static final int AFTER_E0 = 5;      // A0..BF, then one more: no overlong 3-byte form
    private static final int AFTER_ED = 6;      // 80..9F, then one more: no surrogates D800..DFFF
    private static final int AFTER_F0 = 7;      // 90..BF, then two more: no overlong 4-byte form
    private static final int AFTER_F4 = 8;      // 80..8F, then two more: nothing above U+10FFFF
    private static final int STATES = 9;

    // Byte classes.
    private static final int ASCII = 0;         // 00..7F
    private static final int CONT_80 = 1;       // 80..8F
    private static final int CONT_90 = 2;       // 90..9F
    private static final int CONT_A0 = 3;       // A0..BF
    private static final int LEAD2 = 4;         // C2..DF
    private static final int LEAD_E0 = 5;
    private static final int LEAD3 = 6;         // E1..EC, EE, EF
    private static final int LEAD_ED = 7;
    private static final int LEAD_F0 = 8;
    private static final int LEAD4 = 9;         // F1..F3
    private static final int LEAD_F4 = 10;
    private static final int NEVER = 11;        // C0, C1, F5..FF
    private static final int CLASSES = 16;      // a power of two, so a row is a shift away

    private static final byte[] CLASS = new byte[256];
    private static final byte[] NEXT = new byte[STATES * CLASSES];
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        classify(0x00, 0x7F, ASCII);
        classify(0x80, 0x8F, CONT_80);
        classify(0x90, 0x9F, CONT_90);
        classify(0xA0, 0xBF, CONT_A0);
        classify(0xC0, 0xC1, NEVER);
        classify(0xC2, 0xDF, LEAD2);
        classify(0xE0, 0xE0, LEAD_E0);
        classify(0xE1, 0xEF, LEAD3);
        classify(0xED, 0xED, LEAD_ED);
        classify(0xF0, 0xF0, LEAD_F0);
        classify(0xF1, 0xF3, LEAD4);
        classify(0xF4, 0xF4, LEAD_F4);
        classify(0xF5, 0xFF, NEVER);

        java.util.Arrays.fill(NEXT, (byte) REJECT);
        go(ACCEPT, ASCII, ACCEPT);
        go(ACCEPT, LEAD2, TAIL1);
        go(ACCEPT, LEAD_E0, AFTER_E0);
        go(ACCEPT, LEAD3, TAIL2);
        go(ACCEPT, LEAD_ED, AFTER_ED);
        go(ACCEPT, LEAD_F0, AFTER_F0);
        go(ACCEPT, LEAD4, TAIL3);
        go(ACCEPT, LEAD_F4, AFTER_F4);
        for (int c : new int[] {CONT_80, CONT_90, CONT_A0}) {
            go(TAIL1, c, ACCEPT);
            go(TAIL2, c, TAIL1);
            go(TAIL3, c, TAIL2);
        }
        go(AFTER_E0, CONT_A0, TAIL1);
        go(AFTER_ED, CONT_80, TAIL1);
        go(AFTER_ED, CONT_90, TAIL1);
        go(AFTER_F0, CONT_90, TAIL2);
        go(AFTER_F0, CONT_A0, TAIL2);
        go(AFTER_F4, CONT_80, TAIL2);
    }

    private static void classify(int from, int to, int type) {
        for (int b = from; b <= to; b++) CLASS[b] = (byte) type;
    }

    private static void go(int state, int type, int next) { NEXT[state * CLASSES + type] = (byte) next; }

    private int state = ACCEPT;

    /**
     * Checks {@code bytes[from, to)} as the continuation of everything checked since the last
     * {@link #reset()}. Returns -1 if no byte so far makes the text impossible, else the index of
     * the first byte that does; the validator then stays rejecting until reset.
     */
    public int check(byte[] bytes, int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, bytes.length);
        int s = state;
        if (s == REJECT) return from;
        int i = from;
        while (i < to) {
            if (s == ACCEPT) {
                while (i + 8 <= to && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) i += 8;
                if (i == to) break;
            }
            s = NEXT[(s << 4) | CLASS[bytes[i] & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return i;
            }
            i++;
        }
        state = s;
        return -1;
    }

    /**
     * Checks {@code bytes[from, to)} by absolute index, leaving its position and limit alone; as
     * {@link #check(byte[], int, int)} otherwise. Heap buffers are read through their array.
     */
    public int check(ByteBuffer bytes, int from, int to) {
        java.util.Objects.checkFromToIndex(from, to, bytes.limit());
        if (bytes.hasArray()) {
            int off = bytes.arrayOffset();
            int at = check(bytes.array(), from + off, to + off);
            return at < 0 ? at : at - off;
        }
        int s = state;
        if (s == REJECT) return from;
        int i = from;
        while (i < to) {
            if (s == ACCEPT) {
                while (i + 8 <= to && (bytes.getLong(i) & HIGH_BITS) == 0) i += 8;   // either byte order
                if (i == to) break;
            }
            s = NEXT[(s << 4) | CLASS[bytes.get(i) & 0xFF]];
            if (s == REJECT) {
                state = REJECT;
                return i;
            }
            i++;
        }
        state = s;
        return -1;
    }

    /** True between characters: the bytes checked so far end where a character ends. */
    public boolean isComplete() { return state == ACCEPT; }

    /** True once a byte made the text impossible. */
    public boolean isRejected() { return state == REJECT; }

    /** Forgets everything checked: ready for a new message. */
    public void reset() { state = ACCEPT; }

    /** True if {@code bytes[from, to)} is, on its own, complete and valid UTF-8. */
    public static boolean isValid(byte[] bytes, int from, int to) {
        var v = new Utf8Validator();
        return v.check(bytes, from, to) < 0 && v.isComplete();
    }
}
