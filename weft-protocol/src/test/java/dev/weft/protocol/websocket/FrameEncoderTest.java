package dev.weft.protocol.websocket;

import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.testing.CollectingSink;
import dev.weft.protocol.testing.WebSocketFeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.random.RandomGenerator;

import static dev.weft.protocol.websocket.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The frame encoder against RFC 6455 §5.7's examples and the hand-written frames of
 * {@link Frames}: every opcode, every length form at its edges, masking, fragmentation rules,
 * and the caller's mistakes it refuses.
 */
class FrameEncoderTest {
    /** A generator whose nextInt() is always the RFC's example key, so masked output can be compared. */
    static final RandomGenerator RFC_MASKS = keys(RFC_KEY);

    /** A generator whose nextInt() gives {@code keys} in turn (its default takes the high half of nextLong()). */
    static RandomGenerator keys(int... keys) {
        var next = new int[1];
        return () -> (long) keys[next[0]++ % keys.length] << 32;
    }

    private final CollectingSink out = new CollectingSink();

    static ByteBuffer bytes(byte[] b) { return ByteBuffer.wrap(b); }

    @Test  // RFC 6455 §5.7
    void rfcExamples() {
        FrameEncoder.server().text("Hello", out);
        assertArrayEquals(hex("0x81 0x05 0x48 0x65 0x6c 0x6c 0x6f"), out.take());
        FrameEncoder.client(RFC_MASKS).text("Hello", out);
        assertArrayEquals(hex("0x81 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58"), out.take());
        var fragments = FrameEncoder.server();
        fragments.fragment(MessageType.TEXT, bytes(utf8("Hel")), false, out);
        fragments.fragment(MessageType.TEXT, bytes(utf8("lo")), true, out);
        assertArrayEquals(hex("0x01 0x03 0x48 0x65 0x6c 0x80 0x02 0x6c 0x6f"), out.take());
        FrameEncoder.server().ping(bytes(utf8("Hello")), out);
        assertArrayEquals(hex("0x89 0x05 0x48 0x65 0x6c 0x6c 0x6f"), out.take());
        FrameEncoder.client(RFC_MASKS).pong(bytes(utf8("Hello")), out);
        assertArrayEquals(hex("0x8a 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58"), out.take());
        FrameEncoder.server().binary(bytes(pattern(256)), out);
        assertArrayEquals(concat(hex("0x82 0x7E 0x0100"), pattern(256)), out.take());
        FrameEncoder.server().binary(bytes(pattern(65536)), out);
        assertArrayEquals(concat(hex("0x82 0x7F 0x0000000000010000"), pattern(65536)), out.take());
    }

    @ParameterizedTest @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 70000})  // §5.2: the shortest form
    void everyLengthFormAsWrittenByHand(int size) {
        byte[] payload = pattern(size);
        FrameEncoder.server().binary(bytes(payload), out);
        assertArrayEquals(frame(true, 0, BINARY, payload, null), out.take());
        FrameEncoder.client(RFC_MASKS).binary(bytes(payload), out);
        assertArrayEquals(frame(true, 0, BINARY, payload, RFC_KEY), out.take());
    }

    @Test  // the hot path: a small frame is one write, a large unmasked payload goes by reference
    void smallFramesAreOneWriteAndLargePayloadsGoByReference() {
        var encoder = FrameEncoder.server();
        encoder.binary(bytes(pattern(125)), out);
        assertEquals(1, out.writes());
        assertEquals(List.of(), out.buffers());
        out.take();
        ByteBuffer big = bytes(pattern(4096));
        encoder.binary(big, out);
        assertEquals(2, out.writes());
        assertSame(big, out.buffers().getFirst());
        out.take();
        FrameEncoder.client(RFC_MASKS).binary(bytes(pattern(4096)), out);
        assertEquals(List.of(), out.buffers());                         // masked bytes are copied, never the caller's buffer changed
    }

    @Test  // §5.3: masking never touches the caller's buffer
    void maskingLeavesThePayloadAlone() {
        byte[] payload = pattern(20_000);
        ByteBuffer buffer = bytes(payload.clone());
        FrameEncoder.client(RFC_MASKS).binary(buffer, out);
        assertArrayEquals(payload, buffer.array());
        assertArrayEquals(frame(true, 0, BINARY, payload, RFC_KEY), out.take());
    }

    @Test  // §5.6: text is UTF-8, however long, across the 8 KiB staging array
    void textOfEveryShape() {
        for (String s : List.of("", "é", "€uro", "😀 emoji", "κόσμε".repeat(3000), "a".repeat(8191) + "😀" + "b".repeat(9000))) {
            FrameEncoder.server().text(s, out);
            assertArrayEquals(frame(true, 0, TEXT, utf8(s), null), out.take(), s.length() + " chars");
            FrameEncoder.client(RFC_MASKS).text(s, out);
            assertArrayEquals(frame(true, 0, TEXT, utf8(s), RFC_KEY), out.take(), s.length() + " chars");
        }
    }

    @Test  // a lone surrogate has no UTF-8 form: refused before anything is written
    void loneSurrogatesAreRefused() {
        for (String s : List.of("\uD800", "a\uDC00b", "x\uD83D")) {
            assertThrows(UsageViolation.class, () -> FrameEncoder.server().text(s, out));
            assertEquals(0, out.writes());
        }
    }

    @Test  // §5.5.1: code and reason; 1005 means an empty payload
    void closeFrames() {
        FrameEncoder.server().close(1000, "bye", out);
        assertArrayEquals(server(CLOSE, closePayload(1000, utf8("bye"))), out.take());
        FrameEncoder.client(RFC_MASKS).close(4000, "", out);
        assertArrayEquals(client(CLOSE, closePayload(4000, new byte[0])), out.take());
        FrameEncoder.server().close(CloseCodes.NO_STATUS_RECEIVED, "", out);
        assertArrayEquals(server(CLOSE, new byte[0]), out.take());
        String longest = "é".repeat(61) + "x";                           // 123 bytes
        FrameEncoder.server().close(1001, longest, out);
        assertArrayEquals(server(CLOSE, closePayload(1001, utf8(longest))), out.take());
    }

    @Test
    void closeMistakesAreRefused() {
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000}) {
            if (code == 1005) {
                assertThrows(UsageViolation.class, () -> FrameEncoder.server().close(code, "why", out));
            } else {
                assertThrows(UsageViolation.class, () -> FrameEncoder.server().close(code, "", out), "code " + code);
            }
        }
        assertThrows(UsageViolation.class, () -> FrameEncoder.server().close(1000, "x".repeat(124), out));
        assertEquals(0, out.writes());
    }

    @Test  // §5.5.1: nothing after Close
    void nothingAfterClose() {
        var encoder = FrameEncoder.server();
        encoder.close(1000, "", out);
        assertTrue(encoder.isClosed());
        assertThrows(UsageViolation.class, () -> encoder.text("x", out));
        assertThrows(UsageViolation.class, () -> encoder.ping(bytes(new byte[0]), out));
        assertThrows(UsageViolation.class, () -> encoder.close(1000, "", out));
    }

    @Test  // §5.5: control payloads hold at most 125 bytes
    void controlPayloadsAreBounded() {
        var encoder = FrameEncoder.server();
        encoder.ping(bytes(pattern(125)), out);
        assertThrows(UsageViolation.class, () -> encoder.ping(bytes(pattern(126)), out));
        assertThrows(UsageViolation.class, () -> encoder.pong(bytes(pattern(126)), out));
    }

    @Test  // §5.4: one fragmented message at a time; control frames may go between its fragments
    void fragmentationRules() {
        var encoder = FrameEncoder.client(RFC_MASKS);
        encoder.fragment(MessageType.BINARY, bytes(pattern(3)), false, out);
        assertThrows(UsageViolation.class, () -> encoder.text("x", out));
        assertThrows(UsageViolation.class, () -> encoder.fragment(MessageType.TEXT, bytes(new byte[0]), true, out));
        encoder.ping(bytes(utf8("p")), out);
        encoder.fragment(MessageType.BINARY, bytes(new byte[0]), false, out);
        encoder.fragment(MessageType.BINARY, bytes(pattern(200)), true, out);
        encoder.text("after", out);
        byte[] expected = concat(frame(false, 0, BINARY, pattern(3), RFC_KEY), client(PING, "p"),
            frame(false, 0, CONTINUATION, new byte[0], RFC_KEY), frame(true, 0, CONTINUATION, pattern(200), RFC_KEY), client(TEXT, "after"));
        assertArrayEquals(expected, out.bytes());
        assertEquals(List.of(WebSocketEvent.MessageStart.BINARY, new dev.weft.protocol.testing.Events.Data(pattern(3)),
                new WebSocketEvent.Ping(bytes(utf8("p"))), new dev.weft.protocol.testing.Events.Data(pattern(200)), WebSocketEvent.MessageEnd.END,
                WebSocketEvent.MessageStart.TEXT, new dev.weft.protocol.testing.Events.Data(utf8("after")), WebSocketEvent.MessageEnd.END),
            WebSocketFeed.events(FrameDecoderTest.SERVER, out.bytes()));
    }

    @Test  // a single fragment with last=true is a whole message
    void aLoneLastFragmentIsAMessage() {
        FrameEncoder.server().fragment(MessageType.TEXT, bytes(utf8("x")), true, out);
        assertArrayEquals(server(TEXT, "x"), out.take());
    }

    @Test  // every key the generator gives is used as is, one per frame
    void eachFrameTakesAFreshKey() {
        var encoder = FrameEncoder.client(keys(1, 0xdeadbeef, 0));
        for (int i = 0; i < 3; i++) encoder.text("abc", out);
        assertArrayEquals(concat(frame(true, 0, TEXT, utf8("abc"), 1), frame(true, 0, TEXT, utf8("abc"), 0xdeadbeef),
            frame(true, 0, TEXT, utf8("abc"), 0)), out.bytes());
    }
}
