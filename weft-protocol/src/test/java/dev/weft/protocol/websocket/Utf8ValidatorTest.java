package dev.weft.protocol.websocket;

import dev.weft.protocol.testing.Splits;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The validator against RFC 3629 §4: exhaustively for every sequence of up to three bytes that
 * starts with a lead byte, against an independent reference written from the RFC's table, and
 * randomly against the JDK's strict decoder; plus where exactly it fails, and that any split of
 * the input gives the same answer.
 */
class Utf8ValidatorTest {
    /** What the validator says of {@code bytes} alone: -1 valid, -2 valid but cut short, else the failing index. */
    private static int verdict(byte[] bytes) {
        var v = new Utf8Validator();
        int at = v.check(bytes, 0, bytes.length);
        return at >= 0 ? at : v.isComplete() ? -1 : -2;
    }

    /**
     * The reference, straight from RFC 3629 §4's table of well-formed sequences: -1 valid, -2 a
     * valid prefix cut short, else the index of the first byte no well-formed sequence allows.
     */
    private static int reference(byte[] b) {
        int i = 0;
        while (i < b.length) {
            int lead = b[i] & 0xFF;
            int[][] ranges = wellFormed(lead);
            if (ranges == null) return i;
            for (int k = 0; k < ranges.length; k++) {
                int at = i + 1 + k;
                if (at == b.length) return -2;
                int c = b[at] & 0xFF;
                if (c < ranges[k][0] || c > ranges[k][1]) return at;
            }
            i += 1 + ranges.length;
        }
        return -1;
    }

    private static final int[][][] WELL_FORMED = new int[256][][];

    static {
        int[] tail = {0x80, 0xBF};
        for (int lead = 0; lead < 256; lead++) WELL_FORMED[lead] = wellFormed(lead, tail);
    }

    /** The ranges the bytes after {@code lead} must fall in (RFC 3629 §4), or null if it is no lead byte. */
    private static int[][] wellFormed(int lead) { return WELL_FORMED[lead]; }

    private static int[][] wellFormed(int lead, int[] tail) {
        if (lead <= 0x7F) return new int[0][];
        if (lead >= 0xC2 && lead <= 0xDF) return new int[][] {tail};
        if (lead == 0xE0) return new int[][] {{0xA0, 0xBF}, tail};
        if (lead >= 0xE1 && lead <= 0xEC || lead == 0xEE || lead == 0xEF) return new int[][] {tail, tail};
        if (lead == 0xED) return new int[][] {{0x80, 0x9F}, tail};
        if (lead == 0xF0) return new int[][] {{0x90, 0xBF}, tail, tail};
        if (lead >= 0xF1 && lead <= 0xF3) return new int[][] {tail, tail, tail};
        if (lead == 0xF4) return new int[][] {{0x80, 0x8F}, tail, tail};
        return null;
    }

    @Test
    void everySequenceOfOneTwoAndThreeBytesAgreesWithTheReference() {
        var one = new byte[1];
        var two = new byte[2];
        var three = new byte[3];
        for (int a = 0; a < 256; a++) {
            one[0] = two[0] = three[0] = (byte) a;
            assertEquals(reference(one), verdict(one), () -> hex(one));
            for (int b = 0; b < 256; b++) {
                two[1] = three[1] = (byte) b;
                assertEquals(reference(two), verdict(two), () -> hex(two));
                if (a < 0xE0) continue;                        // shorter leads are covered by two bytes
                for (int c = 0; c < 256; c++) {
                    three[2] = (byte) c;
                    if (reference(three) != verdict(three)) fail(hex(three));
                }
            }
        }
    }

    @Test
    void fourByteSequencesAgreeWithTheReferenceAtEveryBoundary() {
        int[] edges = {0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF};
        var four = new byte[4];
        for (int a = 0xF0; a <= 0xFF; a++) {
            for (int b = 0; b < 256; b++) {
                for (int c : edges) {
                    for (int d : edges) {
                        four[0] = (byte) a; four[1] = (byte) b; four[2] = (byte) c; four[3] = (byte) d;
                        if (reference(four) != verdict(four)) fail(hex(four));
                    }
                }
            }
        }
    }

    @Test  // every scalar value encodes to valid UTF-8; the largest and the surrogates' neighbours included
    void everyCodePointIsValid() {
        var v = new Utf8Validator();
        for (int cp = 0; cp <= 0x10FFFF; cp++) {
            if (cp >= 0xD800 && cp <= 0xDFFF) continue;
            byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
            assertEquals(-1, v.check(b, 0, b.length), () -> hex(b));
            assertTrue(v.isComplete());
        }
    }

    @Test  // RFC 6455 §8.1 via Autobahn 6.x: fail at the first byte that cannot be completed, not later
    void failsAtTheFirstImpossibleByte() {
        assertEquals(1, verdict(bytes(0xE0, 0x80, 0x80)));          // overlong 3-byte form of U+0000
        assertEquals(1, verdict(bytes(0xF0, 0x8F, 0xBF, 0xBF)));    // overlong 4-byte form
        assertEquals(1, verdict(bytes(0xED, 0xA0, 0x80)));          // U+D800, a surrogate
        assertEquals(1, verdict(bytes(0xED, 0xBF, 0xBF)));          // U+DFFF
        assertEquals(1, verdict(bytes(0xF4, 0x90, 0x80, 0x80)));    // U+110000
        assertEquals(0, verdict(bytes(0xC0, 0x80)));                // C0 never appears
        assertEquals(0, verdict(bytes(0xF5)));
        assertEquals(0, verdict(bytes(0xFF)));
        assertEquals(0, verdict(bytes(0x80)));                      // a continuation with no lead
        assertEquals(-2, verdict(bytes('H', 'e', 'l', 'l', 'o', 0xC3)));                 // cut short: no failure yet
        assertEquals(12, verdict(bytes(0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xED, 0xA0, 0x80)));
    }

    @Test  // the word-at-a-time ASCII path stops at the right byte, at every alignment
    void asciiRunsOfEveryLengthThenABadByte() {
        for (int n = 0; n < 40; n++) {
            byte[] b = new byte[n + 1];
            java.util.Arrays.fill(b, (byte) 'a');
            b[n] = (byte) 0xFF;
            assertEquals(n, verdict(b));
            assertEquals(n, new Utf8Validator().check(ByteBuffer.allocateDirect(n + 1).put(b).flip(), 0, n + 1));
        }
    }

    @Test  // a rejected validator stays rejected, and reset() starts over
    void rejectionIsStickyUntilReset() {
        var v = new Utf8Validator();
        byte[] bad = bytes(0xC0);
        byte[] good = bytes('o', 'k');
        assertEquals(0, v.check(bad, 0, 1));
        assertTrue(v.isRejected());
        assertEquals(0, v.check(good, 0, 2));
        v.reset();
        assertEquals(-1, v.check(good, 0, 2));
        assertTrue(v.isComplete());
    }

    @Test  // RFC 6455 §5.6: a text message may be split anywhere, inside a character too
    void everySplitGivesTheSameVerdict() {
        List<byte[]> samples = List.of(
            "κόσμε \uD83D\uDE00 Hello-µ@ßöäüàá-UTF-8!!".getBytes(StandardCharsets.UTF_8),
            bytes(0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xF4, 0x90, 0x80, 0x80, 'x'),
            bytes('a', 'b', 0xF0, 0x9F, 0x98, 0x80, 0xED, 0x9F, 0xBF, 0xEF, 0xBF, 0xBF, 0xE0));
        for (byte[] sample : samples) {
            int whole = verdict(sample);
            for (List<byte[]> chunks : Splits.all(sample)) assertEquals(whole, chunked(chunks), () -> hex(sample));
        }
    }

    /** As {@link #verdict} with the input fed in chunks, alternating heap and direct buffers. */
    private static int chunked(List<byte[]> chunks) {
        var v = new Utf8Validator();
        int offset = 0;
        boolean direct = false;
        for (byte[] c : chunks) {
            int at = direct ? v.check(ByteBuffer.allocateDirect(c.length).put(c).flip(), 0, c.length) : v.check(c, 0, c.length);
            if (at >= 0) return offset + at;
            offset += c.length;
            direct = !direct;
        }
        return v.isComplete() ? -1 : -2;
    }

    @Property(tries = 2000)
    void agreesWithTheJdkDecoderOnRandomBytes(@ForAll @Size(max = 40) byte[] bytes) {
        assertEquals(jdkAccepts(bytes), verdict(bytes) == -1, () -> hex(bytes));
        assertEquals(reference(bytes), verdict(bytes), () -> hex(bytes));
    }

    @Property(tries = 1000)
    void agreesWithTheJdkDecoderOnMostlyValidText(@ForAll String text, @ForAll byte junk, @ForAll int where) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0) b[Math.floorMod(where, b.length)] = junk;
        assertEquals(jdkAccepts(b), verdict(b) == -1, () -> hex(b));
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            CharBuffer _ = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) b[i] = (byte) values[i];
        return b;
    }

    static String hex(byte[] b) {
        var sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x ", x & 0xFF));
        return sb.toString().trim();
    }
}
