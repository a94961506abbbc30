package dev.weft.protocol.http1;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.UsageViolation;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Body framing enforced piece by piece (RFC 9112 §6, §7.1). */
class BodyEncoderTest {
    private final WriteRecorder out = new WriteRecorder();

    @Test
    void fixedPassesPiecesThroughByReference() {
        // RFC 9112 §6.2: exactly Content-Length octets, nothing added
        var body = BodyEncoder.of(new BodyFraming.Fixed(10));
        var first = ascii("hello");
        body.encode(first, out);
        body.encode(ascii("world"), out);
        body.finish(out);
        assertEquals("helloworld", out.text());
        assertSame(first, out.buffers.getFirst(), "no copy: the sink gets the caller's buffer");
        assertEquals(10, body.bodyBytes());
        assertTrue(body.isFinished());
    }

    @Test
    void fixedOverrunIsRefusedBeforeAnyByteIsWritten() {
        // RFC 9112 §6.2: a byte past Content-Length would be read as the next message
        var body = BodyEncoder.of(new BodyFraming.Fixed(5));
        assertThrows(UsageViolation.class, () -> body.encode(ascii("hello!"), out));
        assertEquals(0, out.writes);
        body.encode(ascii("hel"), out);
        assertThrows(UsageViolation.class, () -> body.encode(ascii("lo!"), out));
        assertEquals("hel", out.text());
        assertEquals(3, body.bodyBytes());
    }

    @Test
    void fixedUnderrunCannotFinish() {
        // RFC 9112 §8: a message shorter than its Content-Length is incomplete
        var body = BodyEncoder.of(new BodyFraming.Fixed(5));
        body.encode(ascii("hel"), out);
        assertThrows(UsageViolation.class, () -> body.finish(out));
        assertFalse(body.isFinished());
        body.encode(ascii("lo"), out);
        body.finish(out);
        assertTrue(body.isFinished());
    }

    @Test
    void emptyTakesOnlyEmptyPieces() {
        // RFC 9110 §6.4.1: 1xx, 204, 304 and replies to HEAD have no content
        var body = BodyEncoder.of(BodyFraming.EMPTY);
        body.encode(ByteBuffer.allocate(0), out);
        assertThrows(UsageViolation.class, () -> body.encode(ascii("x"), out));
        assertThrows(UsageViolation.class, () -> body.finish(Headers.of("X-T", "1"), out));
        body.finish(out);
        assertEquals(0, out.writes);
    }

    @Test
    void chunkedFramesEachPieceWithItsHexSize() {
        // RFC 9112 §7.1: chunk-size is hex, each chunk ends in CRLF
        var body = BodyEncoder.of(BodyFraming.CHUNKED);
        body.encode(ByteBuffer.wrap(new byte[255]), out);
        body.encode(ByteBuffer.wrap(new byte[4096]), out);
        body.finish(out);
        String text = out.text();
        assertTrue(text.startsWith("ff\r\n"), text.substring(0, 8));
        assertTrue(text.contains("\r\n1000\r\n"));
        assertTrue(text.endsWith("\r\n0\r\n\r\n"));
        assertEquals(4 + 255 + 2 + 6 + 4096 + 2 + 5, text.length());
        assertEquals(4351, body.bodyBytes());
    }

    @Test
    void emptyPiecesWriteNothingNeverALastChunk() {
        // RFC 9112 §7.1: a zero-size chunk is the last chunk; an empty piece must not end the body early
        var body = BodyEncoder.of(BodyFraming.CHUNKED);
        body.encode(ByteBuffer.allocate(0), out);
        body.encode(ascii("ab"), out);
        body.encode(ByteBuffer.allocate(0), out);
        assertEquals("2\r\nab\r\n", out.text());
        assertEquals(3, out.writes, "size line, the piece by reference, CRLF");
    }

    @Test
    void chunkedWithTrailers() {
        // RFC 9112 §7.1.2: trailer section after the last chunk
        var body = BodyEncoder.of(BodyFraming.CHUNKED);
        body.encode(ascii("data"), out);
        body.finish(Headers.of("Checksum", "abc", "X-Done", "yes"), out);
        assertEquals("4\r\ndata\r\n0\r\nChecksum: abc\r\nX-Done: yes\r\n\r\n", out.text());
    }

    @Test
    void framingFieldsCannotBeTrailers() {
        // RFC 9110 §6.5.1: framing and routing fields only mean something in the header section
        for (String name : List.of("Content-Length", "transfer-encoding", "Host")) {
            var body = BodyEncoder.of(BodyFraming.CHUNKED);
            assertThrows(UsageViolation.class, () -> body.finish(Headers.of(name, "1"), out));
            assertFalse(body.isFinished());
        }
        assertEquals(0, out.writes);
    }

    @Test
    void onlyChunkedBodiesCarryTrailers() {
        // RFC 9112 §7.1.2: trailers ride on the chunked coding
        var fixed = BodyEncoder.of(new BodyFraming.Fixed(0));
        assertThrows(UsageViolation.class, () -> fixed.finish(Headers.of("X-T", "1"), out));
        var untilClose = BodyEncoder.of(BodyFraming.UNTIL_CLOSE);
        assertThrows(UsageViolation.class, () -> untilClose.finish(Headers.of("X-T", "1"), out));
    }

    @Test
    void untilClosePassesPiecesThrough() {
        // RFC 9112 §6.3 rule 8: the close ends the body, so nothing frames it
        var body = BodyEncoder.of(BodyFraming.UNTIL_CLOSE);
        body.encode(ascii("data: 1\n\n"), out);
        body.finish(out);
        assertEquals("data: 1\n\n", out.text());
    }

    @Test
    void nothingAfterFinish() {
        var body = BodyEncoder.of(BodyFraming.CHUNKED);
        body.finish(out);
        assertThrows(UsageViolation.class, () -> body.encode(ascii("late"), out));
        assertThrows(UsageViolation.class, () -> body.finish(out));
        assertEquals("0\r\n\r\n", out.text());
    }

    @Property(tries = 200)
    void chunkedOutputDecodesToTheConcatenatedPieces(@ForAll @Size(max = 12) List<@Size(max = 300) byte[]> pieces) {
        var sink = new WriteRecorder();
        var body = BodyEncoder.of(BodyFraming.CHUNKED);
        var expected = new ByteArrayOutputStream();
        for (byte[] p : pieces) {
            body.encode(ByteBuffer.wrap(p), sink);
            expected.writeBytes(p);
        }
        body.finish(sink);
        assertArrayEquals(expected.toByteArray(), dechunk(sink.bytes()));
        assertEquals(expected.size(), body.bodyBytes());
    }

    /** A minimal reference decoder for the property above: sizes, data, CRLFs, no extensions or trailers. */
    private static byte[] dechunk(byte[] wire) {
        var body = new ByteArrayOutputStream();
        int at = 0;
        for (;;) {
            int lineEnd = indexOfCrlf(wire, at);
            int size = Integer.parseInt(new String(wire, at, lineEnd - at, StandardCharsets.US_ASCII), 16);
            at = lineEnd + 2;
            if (size == 0) {
                assertEquals(at + 2, wire.length, "last chunk, then the empty trailer section's CRLF");
                return body.toByteArray();
            }
            body.write(wire, at, size);
            at += size;
            assertEquals('\r', wire[at]);
            assertEquals('\n', wire[at + 1]);
            at += 2;
        }
    }

    private static int indexOfCrlf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) if (b[i] == '\r' && b[i + 1] == '\n') return i;
        throw new AssertionError("no CRLF after " + from);
    }

    private static ByteBuffer ascii(String s) { return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1)); }
}
