package dev.weft.protocol.websocket;

import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.testing.Events;
import dev.weft.protocol.testing.Splits;
import dev.weft.protocol.testing.WebSocketFeed;
import dev.weft.protocol.websocket.WebSocketEvent.Close;
import dev.weft.protocol.websocket.WebSocketEvent.MessageEnd;
import dev.weft.protocol.websocket.WebSocketEvent.MessageStart;
import dev.weft.protocol.websocket.WebSocketEvent.Ping;
import dev.weft.protocol.websocket.WebSocketEvent.Pong;
import dev.weft.protocol.websocket.WebSocketEvent.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import static dev.weft.protocol.websocket.Frames.*;
import static dev.weft.protocol.websocket.WebSocketViolation.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The frame decoder on the examples of RFC 6455 §5.7 and on every rule of §5, each run whole,
 * byte by byte and at every two-way split (ARCHITECTURE.md convention 13); a violation must also
 * come at the first byte that proves it, not later.
 */
class FrameDecoderTest {
    static final Supplier<FrameDecoder> SERVER = () -> FrameDecoder.server(WebSocketLimits.DEFAULTS);
    static final Supplier<FrameDecoder> CLIENT = () -> FrameDecoder.client(WebSocketLimits.DEFAULTS);

    static List<Object> text(String s) { return List.of(MessageStart.TEXT, new Events.Data(utf8(s)), MessageEnd.END); }

    static Events.Data data(byte[] b) { return new Events.Data(b); }

    // ---- RFC 6455 §5.7 ----

    @Test
    void rfcSingleFrameUnmaskedText() {
        assertEquals(text("Hello"), WebSocketFeed.events(CLIENT, hex("0x81 0x05 0x48 0x65 0x6c 0x6c 0x6f")));
    }

    @Test
    void rfcSingleFrameMaskedText() {
        assertEquals(text("Hello"), WebSocketFeed.events(SERVER, hex("0x81 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58")));
    }

    @Test
    void rfcFragmentedUnmaskedText() {
        byte[] wire = hex("0x01 0x03 0x48 0x65 0x6c 0x80 0x02 0x6c 0x6f");
        assertEquals(text("Hello"), WebSocketFeed.events(CLIENT, wire));
    }

    @Test
    void rfcUnmaskedPingAndMaskedPong() {
        assertEquals(List.of(new Ping(ByteBuffer.wrap(utf8("Hello")))),
            WebSocketFeed.events(CLIENT, hex("0x89 0x05 0x48 0x65 0x6c 0x6c 0x6f")));
        assertEquals(List.of(new Pong(ByteBuffer.wrap(utf8("Hello")))),
            WebSocketFeed.events(SERVER, hex("0x8a 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58")));
    }

    @Test
    void rfc256BytesAnd64KiBInSingleUnmaskedFrames() {
        byte[] small = pattern(256);
        assertEquals(List.of(MessageStart.BINARY, data(small), MessageEnd.END),
            WebSocketFeed.events(CLIENT, concat(hex("0x82 0x7E 0x0100"), small)));
        byte[] big = pattern(65536);
        byte[] wire = concat(hex("0x82 0x7F 0x0000000000010000"), big);
        for (List<byte[]> chunks : someSplits(wire)) {
            assertEquals(List.of(MessageStart.BINARY, data(big), MessageEnd.END), WebSocketFeed.all(CLIENT.get(), chunks));
        }
    }

    /** For large frames: whole, byte by byte, and cuts around the header and a few in the payload. */
    static List<List<byte[]>> someSplits(byte[] wire) {
        var out = new ArrayList<List<byte[]>>();
        out.add(List.of(wire));
        out.add(Splits.byteByByte(wire));
        for (int cut : new int[] {1, 2, 3, 4, 5, 9, 10, 11, 13, 14, 15, wire.length / 2, wire.length - 1}) out.add(Splits.at(wire, cut));
        out.add(Splits.at(wire, 3, 4097, 8193, 8194, wire.length - 3));
        return out;
    }

    // ---- sizes at every length form's edges (§5.2) ----

    @ParameterizedTest @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 70000})
    void everyLengthFormBothRoles(int size) {
        byte[] payload = pattern(size);
        List<Object> expected = size == 0 ? List.of(MessageStart.BINARY, MessageEnd.END)
            : List.of(MessageStart.BINARY, data(payload), MessageEnd.END);
        byte[] masked = frame(true, 0, BINARY, payload, 0x01020304);
        byte[] plain = frame(true, 0, BINARY, payload, null);
        if (size <= 126) {
            assertEquals(expected, WebSocketFeed.events(SERVER, masked));
            assertEquals(expected, WebSocketFeed.events(CLIENT, plain));
            return;
        }
        for (List<byte[]> chunks : someSplits(masked)) assertEquals(expected, WebSocketFeed.all(SERVER.get(), chunks));
        for (List<byte[]> chunks : someSplits(plain)) assertEquals(expected, WebSocketFeed.all(CLIENT.get(), chunks));
        for (var buffers : WebSocketFeed.Buffers.values()) {
            var chunks = Splits.at(masked, 5, 11, 4000, 9000, masked.length - 2);
            assertEquals(expected, WebSocketFeed.run(SERVER.get(), chunks, false, buffers).events(), buffers.name());
            assertEquals(expected, WebSocketFeed.run(CLIENT.get(), List.of(plain), false, buffers).events());
        }
    }

    @Test  // §5.2: "the minimal number of bytes MUST be used to encode the length"
    void lengthsMustBeMinimal() {
        assertEquals(NON_MINIMAL_LENGTH, WebSocketFeed.violation(CLIENT, concat(hex("82 7E 007D"), pattern(125))));
        assertEquals(NON_MINIMAL_LENGTH, WebSocketFeed.violation(CLIENT, concat(hex("82 7F 000000000000FFFF"), pattern(10))));
        assertEquals(3, WebSocketFeed.failingByte(CLIENT.get(), hex("82 7E 0000 ")));
        assertEquals(9, WebSocketFeed.failingByte(CLIENT.get(), hex("82 7F 0000000000000000")));
    }

    @Test  // §5.2: "the most significant bit MUST be 0", found at the first length byte
    void sixtyFourBitLengthsHaveTheirTopBitClear() {
        byte[] wire = hex("82 FF 8000000000000000 01020304");
        assertEquals(LENGTH_HIGH_BIT, WebSocketFeed.violation(SERVER, wire));
        assertEquals(2, WebSocketFeed.failingByte(SERVER.get(), wire));
    }

    // ---- header rules (§5.2, §5.4, §5.5), each at its first byte ----

    @ParameterizedTest @ValueSource(ints = {0x40, 0x20, 0x10, 0x70})
    void reservedBitsWithoutAnExtension(int rsv) {
        byte[] wire = frame(true, rsv >> 4, TEXT, utf8("x"), RFC_KEY);
        assertEquals(RESERVED_BITS, WebSocketFeed.violation(SERVER, wire));
        assertEquals(0, WebSocketFeed.failingByte(SERVER.get(), wire));
    }

    @ParameterizedTest @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void reservedOpcodes(int opcode) {
        byte[] wire = frame(true, 0, opcode, utf8("x"), RFC_KEY);
        assertEquals(UNKNOWN_OPCODE, WebSocketFeed.violation(SERVER, wire));
        assertEquals(0, WebSocketFeed.failingByte(SERVER.get(), wire));
    }

    @ParameterizedTest @ValueSource(ints = {CLOSE, PING, PONG})  // §5.5: control frames MUST NOT be fragmented
    void controlFramesAreNeverFragmented(int opcode) {
        byte[] wire = frame(false, 0, opcode, new byte[0], RFC_KEY);
        assertEquals(FRAGMENTED_CONTROL_FRAME, WebSocketFeed.violation(SERVER, wire));
        assertEquals(0, WebSocketFeed.failingByte(SERVER.get(), wire));
    }

    @ParameterizedTest @ValueSource(ints = {CLOSE, PING, PONG})  // §5.5: at most 125 bytes, known at byte 1
    void controlFramesCarryAtMost125Bytes(int opcode) {
        byte[] ok = opcode == CLOSE ? closePayload(1000, utf8("r".repeat(123))) : pattern(125);
        assertInstanceOf(WebSocketEvent.class, WebSocketFeed.events(SERVER, client(opcode, ok)).getFirst());
        byte[] wire = client(opcode, opcode == CLOSE ? closePayload(1000, utf8("r".repeat(124))) : pattern(126));
        assertEquals(CONTROL_FRAME_TOO_LONG, WebSocketFeed.violation(SERVER, wire));
        assertEquals(1, WebSocketFeed.failingByte(SERVER.get(), wire));
    }

    @Test  // §5.4: a continuation needs a message to continue, and a message must end before the next
    void fragmentsMustContinueAMessage() {
        byte[] orphan = frame(true, 0, CONTINUATION, utf8("x"), RFC_KEY);
        assertEquals(CONTINUATION_WITHOUT_START, WebSocketFeed.violation(SERVER, orphan));
        assertEquals(0, WebSocketFeed.failingByte(SERVER.get(), orphan));
        byte[] interleaved = concat(frame(false, 0, TEXT, utf8("a"), RFC_KEY), client(BINARY, utf8("b")));
        assertEquals(DATA_FRAME_INSIDE_MESSAGE, WebSocketFeed.violation(SERVER, interleaved));
        assertEquals(7, WebSocketFeed.failingByte(SERVER.get(), interleaved));
        byte[] afterEnd = concat(client(TEXT, "a"), frame(true, 0, CONTINUATION, utf8("b"), RFC_KEY));
        assertEquals(CONTINUATION_WITHOUT_START, WebSocketFeed.violation(SERVER, afterEnd));
    }

    @Test  // §5.1: a server fails on an unmasked frame, a client on a masked one, at byte 1
    void maskingDependsOnTheRole() {
        byte[] unmasked = server(TEXT, "hi");
        assertEquals(UNMASKED_CLIENT_FRAME, WebSocketFeed.violation(SERVER, unmasked));
        assertEquals(1, WebSocketFeed.failingByte(SERVER.get(), unmasked));
        byte[] masked = client(TEXT, "hi");
        assertEquals(MASKED_SERVER_FRAME, WebSocketFeed.violation(CLIENT, masked));
        assertEquals(1, WebSocketFeed.failingByte(CLIENT.get(), masked));
    }

    @Test  // §5.4: control frames may come between the fragments of a message
    void controlFramesBetweenFragments() {
        byte[] wire = concat(frame(false, 0, TEXT, utf8("Hel"), RFC_KEY), client(PING, "p"),
            frame(false, 0, CONTINUATION, new byte[0], RFC_KEY), client(PONG, ""), frame(true, 0, CONTINUATION, utf8("lo"), 7));
        assertEquals(List.of(MessageStart.TEXT, data(utf8("Hel")), new Ping(ByteBuffer.wrap(utf8("p"))),
            new Pong(ByteBuffer.allocate(0)), data(utf8("lo")), MessageEnd.END), WebSocketFeed.events(SERVER, wire));
    }

    @Test
    void emptyMessagesHaveNoData() {
        assertEquals(List.of(MessageStart.TEXT, MessageEnd.END, MessageStart.BINARY, MessageEnd.END),
            WebSocketFeed.events(SERVER, concat(client(TEXT, ""), client(BINARY, new byte[0]))));
    }

    // ---- UTF-8 (§8.1), incrementally ----

    @Test  // §8.1 and Autobahn 6.x: fail at the frame byte that makes the text impossible, not at the end
    void invalidTextFailsAtTheFirstImpossibleByte() {
        byte[] payload = concat(utf8("κόσμε"), hex("ED A0 80"), utf8(" and much more text after it"));
        byte[] wire = client(TEXT, payload);
        assertEquals(INVALID_UTF8, WebSocketFeed.violation(SERVER, wire));
        assertEquals(6 + utf8("κόσμε").length + 1, WebSocketFeed.failingByte(SERVER.get(), wire));
        // the same in the first of two fragments: the second never matters
        byte[] fragmented = concat(frame(false, 0, TEXT, payload, RFC_KEY), frame(true, 0, CONTINUATION, utf8("ok"), RFC_KEY));
        assertEquals(6 + utf8("κόσμε").length + 1, WebSocketFeed.failingByte(SERVER.get(), fragmented));
    }

    @Test  // §5.6: a character may be split across fragments; a message may not end inside one
    void charactersMaySpanFragmentsButNotTheMessageEnd() {
        byte[] euro = utf8("€");
        byte[] wire = concat(frame(false, 0, TEXT, new byte[] {euro[0]}, RFC_KEY),
            frame(false, 0, CONTINUATION, new byte[] {euro[1]}, RFC_KEY), frame(true, 0, CONTINUATION, new byte[] {euro[2]}, RFC_KEY));
        assertEquals(text("€"), WebSocketFeed.events(SERVER, wire));
        byte[] cut = client(TEXT, new byte[] {'a', euro[0], euro[1]});
        assertEquals(INVALID_UTF8, WebSocketFeed.violation(SERVER, cut));
        assertEquals(cut.length - 1, WebSocketFeed.failingByte(SERVER.get(), cut));
    }

    @Test  // binary payloads are not text
    void binaryIsNotChecked() {
        byte[] junk = hex("C0 FF ED A0 80");
        assertEquals(List.of(MessageStart.BINARY, data(junk), MessageEnd.END), WebSocketFeed.events(SERVER, client(BINARY, junk)));
    }

    // ---- Close (§5.5.1, §7.4) ----

    @Test
    void closeWithCodeAndReasonEndsTheStream() {
        byte[] wire = concat(client(CLOSE, closePayload(1000, utf8("bye ✓"))), client(TEXT, "ignored"));
        var result = WebSocketFeed.run(SERVER.get(), List.of(wire), false, WebSocketFeed.Buffers.HEAP);
        assertEquals(List.of(new Close(1000, "bye ✓"), Signal.CLOSED), result.events());
        assertArrayEquals(client(TEXT, "ignored"), result.unconsumed());     // what follows a Close stays in the buffer
    }

    @Test  // §7.1.5: a Close without a payload reports 1005
    void emptyCloseReportsNoStatus() {
        assertEquals(List.of(new Close(CloseCodes.NO_STATUS_RECEIVED, ""), Signal.CLOSED),
            WebSocketFeed.all(SERVER.get(), List.of(client(CLOSE, new byte[0]))));
    }

    @Test  // §5.5.1: a payload is empty or starts with a 2-byte code; one byte is neither, known at byte 1
    void oneByteClosePayload() {
        byte[] wire = client(CLOSE, new byte[] {3});
        assertEquals(CLOSE_PAYLOAD_TOO_SHORT, WebSocketFeed.violation(SERVER, wire));
        assertEquals(1, WebSocketFeed.failingByte(SERVER.get(), wire));
    }

    @Test  // §7.4.1, §7.4.2: every code, at the code's second byte
    void everyCloseCodeIsJudged() {
        int sendable = 0;
        for (int code = 0; code <= 0xFFFF; code++) {
            byte[] wire = client(CLOSE, closePayload(code, utf8("r")));
            boolean ok = code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
            assertEquals(ok, CloseCodes.isSendable(code));
            if (ok) {
                sendable++;
                assertEquals(new Close(code, "r"), WebSocketFeed.all(SERVER.get(), List.of(wire)).getFirst());
            } else {
                assertEquals(BAD_CLOSE_CODE, WebSocketFeed.outcome(SERVER.get(), List.of(wire)), "code " + code);
                if (code % 997 == 0) assertEquals(7, WebSocketFeed.failingByte(SERVER.get(), wire));
            }
        }
        assertEquals(4 + 8 + 2000, sendable);
        assertEquals(BAD_CLOSE_CODE, WebSocketFeed.violation(SERVER, client(CLOSE, closePayload(1005, new byte[0]))));
    }

    @Test  // §5.5.1: the reason is UTF-8, checked byte by byte and for an unfinished character at the end
    void closeReasonMustBeUtf8() {
        byte[] bad = client(CLOSE, closePayload(1000, hex("61 C0 62")));
        assertEquals(CLOSE_REASON_NOT_UTF8, WebSocketFeed.violation(SERVER, bad));
        assertEquals(9, WebSocketFeed.failingByte(SERVER.get(), bad));
        byte[] cut = client(CLOSE, closePayload(1000, hex("61 E2 82")));
        assertEquals(CLOSE_REASON_NOT_UTF8, WebSocketFeed.violation(SERVER, cut));
        assertEquals(cut.length - 1, WebSocketFeed.failingByte(SERVER.get(), cut));
    }

    @Test  // a Close may come inside a fragmented message, which is then abandoned
    void closeInsideAMessage() {
        byte[] wire = concat(frame(false, 0, TEXT, utf8("par"), RFC_KEY), client(CLOSE, closePayload(1001, new byte[0])));
        assertEquals(List.of(MessageStart.TEXT, data(utf8("par")), new Close(1001, ""), Signal.CLOSED), WebSocketFeed.events(SERVER, wire));
    }

    // ---- limits (WebSocketLimits), from the header ----

    @Test  // the default frame limit: 1 MiB passes, 1 MiB + 1 fails at its last length byte, before any payload
    void frameLimitTripsAtTheHeader() {
        var decoder = SERVER.get();
        byte[] header = hex("82 FF 0000000000100000 00000000");
        decoder.feed(ByteBuffer.wrap(header));
        assertSame(MessageStart.BINARY, decoder.next());
        byte[] over = hex("82 FF 0000000000100001 00000000");
        assertEquals(FRAME_TOO_LARGE, WebSocketFeed.violation(SERVER, over));
        assertEquals(9, WebSocketFeed.failingByte(SERVER.get(), over));
        byte[] huge = hex("82 FF 0000010000000000 00000000");            // 2^40: known at its third length byte
        assertEquals(4, WebSocketFeed.failingByte(SERVER.get(), huge));
        assertEquals(FRAME_TOO_LARGE, WebSocketFeed.violation(SERVER, huge));
    }

    @Test  // the message limit counts every frame's length as its header arrives
    void messageLimitTripsAtTheHeaderOfTheFrameThatPassesIt() {
        var limits = new WebSocketLimits(200, 300);
        Supplier<FrameDecoder> decoders = () -> FrameDecoder.server(limits);
        byte[] first = frame(false, 0, BINARY, pattern(200), RFC_KEY);
        byte[] exactly = concat(first, frame(true, 0, CONTINUATION, pattern(100), RFC_KEY));
        assertEquals(List.of(MessageStart.BINARY, data(concat(pattern(200), pattern(100))), MessageEnd.END),
            WebSocketFeed.events(decoders, exactly));
        byte[] over = concat(first, frame(true, 0, CONTINUATION, pattern(101), RFC_KEY));
        assertEquals(MESSAGE_TOO_LARGE, WebSocketFeed.violation(decoders, over));
        assertEquals(first.length + 1, WebSocketFeed.failingByte(decoders.get(), over));
        byte[] bigFrame = client(BINARY, pattern(201));
        assertEquals(FRAME_TOO_LARGE, WebSocketFeed.violation(decoders, bigFrame));
        // control frames count toward neither: a Ping between fragments changes nothing
        byte[] withPing = concat(first, client(PING, pattern(100)), frame(true, 0, CONTINUATION, pattern(100), RFC_KEY));
        assertEquals(MessageEnd.END, WebSocketFeed.events(decoders, withPing).getLast());
    }

    @Test  // ARCHITECTURE.md's table: a 16 MiB message is the most a connection takes by default
    void sixteenMebibyteMessageAtTheDefaultLimits() {
        var decoder = SERVER.get();
        decoder.feed(ByteBuffer.wrap(sixteenFrames(true)));
        long received = 0;
        for (WebSocketEvent e = decoder.next(); e != Signal.NEED_MORE; e = decoder.next()) {
            if (e instanceof WebSocketEvent.Data(var bytes)) {
                int k = (int) (received % (1 << 20));
                assertEquals((byte) (k * 31 + (k >>> 8)), bytes.get(bytes.position()));     // Frames.pattern's byte k
                received += bytes.remaining();
            }
        }
        assertEquals(16L << 20, received);
        // one byte more, in a seventeenth frame, fails at that frame's header
        var over = SERVER.get();
        over.feed(ByteBuffer.wrap(concat(sixteenFrames(false), frame(true, 0, CONTINUATION, new byte[] {1}, 1))));
        var e = assertThrows(WebSocketPeerViolation.class, () -> { while (over.next() != Signal.NEED_MORE) { /* drain */ } });
        assertEquals(MESSAGE_TOO_LARGE, e.violation());
        assertEquals(CloseCodes.MESSAGE_TOO_BIG, e.closeCode());
    }

    /** A 16 MiB binary message in sixteen masked 1 MiB frames; the last one ends it if {@code fin}. */
    private static byte[] sixteenFrames(boolean fin) {
        byte[] mib = pattern(1 << 20);
        var wire = new java.io.ByteArrayOutputStream((16 << 20) + 16 * 14);
        for (int i = 0; i < 16; i++) wire.writeBytes(frame(fin && i == 15, 0, i == 0 ? BINARY : CONTINUATION, mib, 0x5a5a1234 + i));
        return wire.toByteArray();
    }

    // ---- the end of input, stickiness, misuse ----

    @Test  // §7.1.5: the input ending without a Close is an abnormal closure, mid-frame or not
    void endOfInputWithoutClose() {
        byte[] wire = client(TEXT, "Hello");
        for (int cut = 0; cut <= wire.length; cut++) {
            var decoder = SERVER.get();
            var events = WebSocketFeed.run(decoder, List.of(java.util.Arrays.copyOf(wire, cut)), true, WebSocketFeed.Buffers.HEAP).events();
            assertEquals(Signal.END_WITHOUT_CLOSE, events.getLast(), "cut at " + cut);
            assertSame(Signal.END_WITHOUT_CLOSE, decoder.next());
        }
    }

    @Test  // convention 5: once failed, the same violation for ever, and input is ignored
    void aViolationIsSticky() {
        var decoder = SERVER.get();
        decoder.feed(ByteBuffer.wrap(hex("83")));
        var first = assertThrows(WebSocketPeerViolation.class, decoder::next);
        decoder.feed(ByteBuffer.wrap(client(TEXT, "x")));
        assertSame(first, assertThrows(WebSocketPeerViolation.class, decoder::next));
        assertEquals(CloseCodes.PROTOCOL_ERROR, first.closeCode());
    }

    @Test
    void feedingOverUnconsumedBytesOrAfterTheEndIsMisuse() {
        var decoder = SERVER.get();
        decoder.feed(ByteBuffer.wrap(client(TEXT, "x")));
        assertThrows(UsageViolation.class, () -> decoder.feed(ByteBuffer.wrap(client(TEXT, "y"))));
        var buffer = ByteBuffer.wrap(client(TEXT, "x"));
        var d = SERVER.get();
        d.feed(buffer);
        assertSame(MessageStart.TEXT, d.next());
        assertThrows(UsageViolation.class, () -> d.feed(buffer));               // the same buffer, not yet drained
        d.feedEnd();
        assertThrows(UsageViolation.class, () -> d.feed(ByteBuffer.allocate(0)));
    }

    @Test  // a pooled buffer goes back to the loop after NEED_MORE and may be refilled for another connection
    void aDrainedBufferIsNeverLookedAtAgain() {
        var decoder = SERVER.get();
        var first = ByteBuffer.allocateDirect(64);
        first.put(client(TEXT, "a")).flip();
        decoder.feed(first);
        while (decoder.next() != Signal.NEED_MORE) { /* drain */ }
        first.clear().put(client(TEXT, "someone else's bytes")).flip();   // reused elsewhere
        decoder.feed(ByteBuffer.wrap(client(TEXT, "b")));
        assertSame(MessageStart.TEXT, decoder.next());
    }

    @ParameterizedTest @EnumSource(WebSocketFeed.Buffers.class)  // §5.3: the mask continues across reads and copies
    void largeMaskedFramesUnmaskInEveryKindOfBuffer(WebSocketFeed.Buffers buffers) {
        byte[] payload = pattern(20_000);
        byte[] wire = frame(true, 0, BINARY, payload, 0xdeadbeef);
        for (int step : new int[] {1, 3, 7, 4096, 8193, wire.length}) {
            var chunks = new ArrayList<byte[]>();
            for (int i = 0; i < wire.length; i += step) chunks.add(java.util.Arrays.copyOfRange(wire, i, Math.min(wire.length, i + step)));
            assertEquals(List.of(MessageStart.BINARY, data(payload), MessageEnd.END),
                WebSocketFeed.run(SERVER.get(), chunks, false, buffers).events(), "step " + step);
        }
    }

    @Test  // WebSocketEvent's lifetimes: pieces of one buffer share one event and view; a new buffer gets its own
    void piecesShareOneEventPerBuffer() {
        var decoder = SERVER.get();
        var buffer = ByteBuffer.allocateDirect(64);
        buffer.put(concat(frame(false, 0, BINARY, pattern(3), 9), frame(true, 0, CONTINUATION, pattern(4), 9))).flip();
        decoder.feed(buffer);
        assertSame(MessageStart.BINARY, decoder.next());
        var first = decoder.next();
        assertTrue(first instanceof WebSocketEvent.Data d && d.bytes().isReadOnly());
        assertSame(first, decoder.next());
        assertSame(MessageEnd.END, decoder.next());
        assertSame(Signal.NEED_MORE, decoder.next());
        buffer.clear().put(client(BINARY, pattern(5))).flip();
        decoder.feed(buffer);                                              // the same pooled buffer again
        assertSame(MessageStart.BINARY, decoder.next());
        assertSame(first, decoder.next());
    }
}
