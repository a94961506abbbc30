package dev.weft.protocol.websocket;

import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.testing.CollectingSink;
import dev.weft.protocol.testing.Events;
import dev.weft.protocol.testing.WebSocketFeed;
import dev.weft.protocol.websocket.WebSocketEvent.MessageEnd;
import dev.weft.protocol.websocket.WebSocketEvent.MessageStart;
import dev.weft.protocol.websocket.WebSocketEvent.Signal;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.Deflater;

import static dev.weft.protocol.websocket.Frames.*;
import static dev.weft.protocol.websocket.WebSocketViolation.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * permessage-deflate (RFC 7692) in the frame codec: the examples of §7.2.3 both ways, the rules
 * of §6 about RSV1, context takeover or not, the bound on inflated size against decompression
 * bombs, and the native memory's lifecycle.
 */
class PerMessageDeflateTest {
    static final DeflateOptions ALWAYS = DeflateOptions.DEFAULTS.withMinMessageBytes(0);
    static final DeflateParameters TAKEOVER = DeflateParameters.PLAIN;
    static final DeflateParameters NO_TAKEOVER = new DeflateParameters(true, true, 15, 15);

    /** A client's decoder (reading a server's unmasked frames) with a fresh extension. */
    static Supplier<FrameDecoder> clientDecoders(DeflateParameters p) {
        return () -> FrameDecoder.client(WebSocketLimits.DEFAULTS, PerMessageDeflate.client(p, ALWAYS));
    }

    static Supplier<FrameDecoder> serverDecoders(DeflateParameters p, WebSocketLimits limits) {
        return () -> FrameDecoder.server(limits, PerMessageDeflate.server(p, ALWAYS));
    }

    static List<Object> texts(String... messages) {
        var out = new ArrayList<Object>();
        for (String m : messages) {
            out.add(MessageStart.TEXT);
            if (!m.isEmpty()) out.add(new Events.Data(utf8(m)));
            out.add(MessageEnd.END);
        }
        return out;
    }

    // ---- RFC 7692 §7.2.3 ----

    @Test  // §7.2.3.1: "Hello" in one frame and in two
    void rfcSingleAndFragmented() {
        assertEquals(texts("Hello"), WebSocketFeed.events(clientDecoders(TAKEOVER), hex("0xc1 0x07 0xf2 0x48 0xcd 0xc9 0xc9 0x07 0x00")));
        assertEquals(texts("Hello"), WebSocketFeed.events(clientDecoders(TAKEOVER), hex("0x41 0x03 0xf2 0x48 0xcd 0x80 0x04 0xc9 0xc9 0x07 0x00")));
        var out = new CollectingSink();
        FrameEncoder.server(PerMessageDeflate.server(TAKEOVER, ALWAYS)).text("Hello", out);
        assertArrayEquals(hex("0xc1 0x07 0xf2 0x48 0xcd 0xc9 0xc9 0x07 0x00"), out.bytes());
    }

    @Test  // §7.2.3.2: the second "Hello" refers back into the first one's window
    void rfcSharedWindow() {
        byte[] wire = hex("0xc1 0x07 0xf2 0x48 0xcd 0xc9 0xc9 0x07 0x00 0xc1 0x05 0xf2 0x00 0x11 0x00 0x00");
        assertEquals(texts("Hello", "Hello"), WebSocketFeed.events(clientDecoders(TAKEOVER), wire));
        var out = new CollectingSink();
        var encoder = FrameEncoder.server(PerMessageDeflate.server(TAKEOVER, ALWAYS));
        encoder.text("Hello", out);
        encoder.text("Hello", out);
        assertArrayEquals(wire, out.bytes());
        // without context takeover the second message stands alone: the same bytes as the first
        var fresh = new CollectingSink();
        var reset = FrameEncoder.server(PerMessageDeflate.server(NO_TAKEOVER, ALWAYS));
        reset.text("Hello", fresh);
        reset.text("Hello", fresh);
        assertArrayEquals(hex("0xc1 0x07 0xf2 0x48 0xcd 0xc9 0xc9 0x07 0x00 0xc1 0x07 0xf2 0x48 0xcd 0xc9 0xc9 0x07 0x00"), fresh.bytes());
        assertEquals(texts("Hello", "Hello"), WebSocketFeed.events(clientDecoders(NO_TAKEOVER), fresh.bytes()));
    }

    @Test  // §7.2.3.3 to §7.2.3.5: a stored block, a BFINAL block with its trailing byte, two blocks
    void rfcOtherBlockShapes() {
        assertEquals(texts("Hello"), WebSocketFeed.events(clientDecoders(TAKEOVER), hex("0xc1 0x0b 0x00 0x05 0x00 0xfa 0xff 0x48 0x65 0x6c 0x6c 0x6f 0x00")));
        assertEquals(texts("Hello"), WebSocketFeed.events(clientDecoders(TAKEOVER), hex("0xc1 0x08 0xf3 0x48 0xcd 0xc9 0xc9 0x07 0x00 0x00")));
        assertEquals(texts("Hello"),
            WebSocketFeed.events(clientDecoders(TAKEOVER), hex("0xc1 0x0d 0xf2 0x48 0x05 0x00 0x00 0x00 0xff 0xff 0xca 0xc9 0xc9 0x07 0x00")));
        // after a BFINAL block the stream starts over, context or not
        byte[] twice = hex("0xc1 0x08 0xf3 0x48 0xcd 0xc9 0xc9 0x07 0x00 0x00 0xc1 0x07 0xf2 0x48 0xcd 0xc9 0xc9 0x07 0x00");
        assertEquals(texts("Hello", "Hello"), WebSocketFeed.events(clientDecoders(TAKEOVER), twice));
    }

    @Test  // §7.2.3.6: an empty last fragment is the single byte 0x00
    void emptyLastFragment() {
        var out = new CollectingSink();
        var encoder = FrameEncoder.server(PerMessageDeflate.server(TAKEOVER, ALWAYS));
        encoder.fragment(MessageType.TEXT, ByteBuffer.wrap(utf8("Hel")), false, out);
        encoder.fragment(MessageType.TEXT, ByteBuffer.allocate(0), true, out);
        encoder.text("lo again", out);
        byte[] wire = out.bytes();
        assertEquals(texts("Hel", "lo again"), WebSocketFeed.events(clientDecoders(TAKEOVER), wire));
        int lastFragment = indexOf(wire, hex("0x80 0x01 0x00"));
        assertTrue(lastFragment > 0, Events.escape(wire));
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }

    // ---- RSV1 (§6, §6.1) and bad data ----

    @Test
    void rsv1OnlyOnTheFirstFrameOfADataMessage() {
        byte[] onContinuation = concat(frame(false, 4, TEXT, hex("f2 48 cd"), RFC_KEY), frame(true, 4, CONTINUATION, hex("c9 c9 07 00"), RFC_KEY));
        assertEquals(RESERVED_BITS, WebSocketFeed.violation(serverDecoders(TAKEOVER, WebSocketLimits.DEFAULTS), onContinuation));
        assertEquals(RESERVED_BITS, WebSocketFeed.violation(serverDecoders(TAKEOVER, WebSocketLimits.DEFAULTS), frame(true, 4, PING, new byte[0], RFC_KEY)));
        assertEquals(RESERVED_BITS, WebSocketFeed.violation(serverDecoders(TAKEOVER, WebSocketLimits.DEFAULTS), frame(true, 2, TEXT, utf8("x"), RFC_KEY)));
        // an uncompressed message between compressed ones is fine (§6: the sender chooses per message)
        byte[] mixed = concat(frame(true, 4, TEXT, hex("f2 48 cd c9 c9 07 00"), RFC_KEY), client(TEXT, "plain"),
            frame(true, 4, BINARY, hex("f2 48 cd c9 c9 07 00"), 5));
        assertEquals(List.of(MessageStart.TEXT, new Events.Data(utf8("Hello")), MessageEnd.END, MessageStart.TEXT,
                new Events.Data(utf8("plain")), MessageEnd.END, MessageStart.BINARY, new Events.Data(utf8("Hello")), MessageEnd.END),
            WebSocketFeed.events(serverDecoders(TAKEOVER, WebSocketLimits.DEFAULTS), mixed));
    }

    @Test  // §7.2.2: data that is not DEFLATE fails the connection with 1007
    void corruptDataIsInvalidPayload() {
        byte[] wire = frame(true, 4, BINARY, hex("ff ff ff ff"), RFC_KEY);
        assertEquals(BAD_COMPRESSED_DATA, WebSocketFeed.violation(serverDecoders(TAKEOVER, WebSocketLimits.DEFAULTS), wire));
        assertEquals(CloseCodes.INVALID_PAYLOAD_DATA, BAD_COMPRESSED_DATA.closeCode());
    }

    @Test  // RFC 6455 §8.1 applies to the inflated text, and fails at the inflated piece that breaks it
    void inflatedTextIsUtf8() {
        byte[] bad = deflate(concat(utf8("fine, fine, fine "), hex("ED A0 80"), utf8(" and on")), true);
        assertEquals(INVALID_UTF8, WebSocketFeed.violation(serverDecoders(TAKEOVER, WebSocketLimits.DEFAULTS), frame(true, 4, TEXT, bad, RFC_KEY)));
    }

    // ---- decompression bombs ----

    @Test  // convention 6: the inflated size is charged as it comes out; at most one byte is inflated past the limit
    void bombsStopAtTheMessageLimit() {
        var limits = new WebSocketLimits(1 << 20, 1 << 20);
        byte[] bomb = zeros(64L << 20);                                  // 64 MiB of zeros in about 64 KiB
        assertTrue(bomb.length < limits.maxFrameBytes());
        var deflate = PerMessageDeflate.server(TAKEOVER, ALWAYS);
        var decoder = FrameDecoder.server(limits, deflate);
        decoder.feed(ByteBuffer.wrap(frame(true, 4, BINARY, bomb, RFC_KEY)));
        long lent = 0;
        WebSocketPeerViolation failure = null;
        try {
            for (WebSocketEvent e = decoder.next(); e != Signal.NEED_MORE; e = decoder.next()) {
                if (e instanceof WebSocketEvent.Data(var bytes)) lent += bytes.remaining();
            }
        } catch (WebSocketPeerViolation v) {
            failure = v;
        }
        assertNotNull(failure);
        assertEquals(MESSAGE_TOO_LARGE, failure.violation());
        assertEquals(CloseCodes.MESSAGE_TOO_BIG, failure.closeCode());
        assertTrue(lent <= limits.maxMessageBytes(), "lent " + lent);
        assertEquals(limits.maxMessageBytes() + 1, deflate.inflater().bytesInflated());
        deflate.close();
    }

    @Test  // ARCHITECTURE.md's table: at the default limits, 16 MiB inflated passes and one byte more does not
    void sixteenMebibytesInflatedAtTheDefaults() {
        for (long size : new long[] {16L << 20, (16L << 20) + 1}) {
            var deflate = PerMessageDeflate.server(TAKEOVER, ALWAYS);
            var decoder = FrameDecoder.server(WebSocketLimits.DEFAULTS, deflate);
            decoder.feed(ByteBuffer.wrap(frame(true, 4, BINARY, zeros(size), RFC_KEY)));
            long lent = 0;
            try {
                for (WebSocketEvent e = decoder.next(); e != MessageEnd.END; e = decoder.next()) {
                    if (e instanceof WebSocketEvent.Data(var bytes)) lent += bytes.remaining();
                }
                assertEquals(16L << 20, size);
                assertEquals(size, lent);
            } catch (WebSocketPeerViolation v) {
                assertEquals(MESSAGE_TOO_LARGE, v.violation());
                assertEquals((16L << 20) + 1, size);
            }
            deflate.close();
        }
    }

    /** {@code n} zero bytes compressed as a message (sync-flushed, tail removed). */
    static byte[] zeros(long n) {
        var d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        var out = new ByteArrayOutputStream();
        byte[] chunk = new byte[1 << 16];
        byte[] buf = new byte[1 << 16];
        for (long left = n; left > 0; left -= chunk.length) {
            d.setInput(chunk, 0, (int) Math.min(chunk.length, left));
            while (!d.needsInput()) out.write(buf, 0, d.deflate(buf, 0, buf.length, Deflater.NO_FLUSH));
        }
        int k;
        while ((k = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) out.write(buf, 0, k);
        d.end();
        byte[] b = out.toByteArray();
        return java.util.Arrays.copyOf(b, b.length - 4);
    }

    /** {@code bytes} compressed as one message. */
    static byte[] deflate(byte[] bytes, boolean stripTail) {
        var d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(bytes);
        byte[] buf = new byte[bytes.length * 2 + 64];
        int n = d.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        d.end();
        return java.util.Arrays.copyOf(buf, stripTail ? n - 4 : n);
    }

    // ---- the encoder's choices ----

    @Test  // §6: messages under the threshold go uncompressed; fragmented ones are always compressed
    void thresholdAndFragments() {
        var options = DeflateOptions.DEFAULTS.withMinMessageBytes(10);
        var out = new CollectingSink();
        var encoder = FrameEncoder.client(FrameEncoderTest.RFC_MASKS, PerMessageDeflate.client(NO_TAKEOVER, options));
        encoder.text("short", out);
        assertArrayEquals(client(TEXT, "short"), out.take());
        encoder.binary(ByteBuffer.wrap(utf8("long enough")), out);
        byte[] compressed = out.take();
        assertEquals(0xC2, compressed[0] & 0xFF);                        // FIN, RSV1, binary
        encoder.fragment(MessageType.TEXT, ByteBuffer.wrap(utf8("a")), false, out);
        encoder.ping(ByteBuffer.wrap(utf8("between")), out);
        encoder.fragment(MessageType.TEXT, ByteBuffer.wrap(utf8("b")), true, out);
        byte[] fragments = out.take();
        assertEquals(0x41, fragments[0] & 0xFF);                         // RSV1 on the first frame only
        var decoders = serverDecoders(NO_TAKEOVER, WebSocketLimits.DEFAULTS);
        assertEquals(List.of(MessageStart.BINARY, new Events.Data(utf8("long enough")), MessageEnd.END),
            WebSocketFeed.events(decoders, compressed));
        assertEquals(List.of(MessageStart.TEXT, new Events.Data(utf8("a")), new WebSocketEvent.Ping(ByteBuffer.wrap(utf8("between"))),
            new Events.Data(utf8("b")), MessageEnd.END), WebSocketFeed.events(decoders, fragments));
    }

    @Test  // large messages, both roles, context kept or not, cross the staging arrays whole
    void largeMessagesBothWays() {
        String text = "The quick brown fox jumps over the lazy dog. κόσμε 😀 ".repeat(5000);
        byte[] binary = pattern(300_000);
        for (DeflateParameters p : List.of(TAKEOVER, NO_TAKEOVER)) {
            var out = new CollectingSink();
            var encoder = FrameEncoder.client(FrameEncoderTest.keys(0x11223344, 0x55667788), PerMessageDeflate.client(p, ALWAYS));
            encoder.text(text, out);
            encoder.binary(ByteBuffer.wrap(binary), out);
            encoder.text(text, out);
            var expected = List.of(MessageStart.TEXT, new Events.Data(utf8(text)), MessageEnd.END,
                MessageStart.BINARY, new Events.Data(binary), MessageEnd.END, MessageStart.TEXT, new Events.Data(utf8(text)), MessageEnd.END);
            byte[] wire = out.bytes();
            assertEquals(expected, WebSocketFeed.all(serverDecoders(p, WebSocketLimits.DEFAULTS).get(), List.of(wire)));
            for (var buffers : WebSocketFeed.Buffers.values()) {
                assertEquals(expected, WebSocketFeed.run(serverDecoders(p, WebSocketLimits.DEFAULTS).get(),
                    dev.weft.protocol.testing.Splits.at(wire, 3, 100, 5000, 70_000, 200_000), false, buffers).events(), buffers.name());
            }
        }
    }

    // ---- native memory ----

    @Test  // without context takeover, an idle connection can hold no native memory; with it, it must keep its window
    void releaseIdle() {
        var out = new CollectingSink();
        var reset = PerMessageDeflate.server(NO_TAKEOVER, ALWAYS);
        assertTrue(reset.releaseIdle());                                   // nothing made yet
        var encoder = FrameEncoder.server(reset);
        encoder.text("one", out);
        assertTrue(reset.releaseIdle());
        encoder.text("two", out);                                         // made again on demand
        assertEquals(texts("one", "two"), WebSocketFeed.events(clientDecoders(NO_TAKEOVER), out.take()));
        encoder.fragment(MessageType.TEXT, ByteBuffer.wrap(utf8("mid")), false, out);
        assertFalse(reset.releaseIdle());                                  // a message is in progress
        encoder.fragment(MessageType.TEXT, ByteBuffer.wrap(utf8("dle")), true, out);
        assertTrue(reset.releaseIdle());

        var takeover = PerMessageDeflate.server(TAKEOVER, ALWAYS);
        FrameEncoder.server(takeover).text("kept", out);
        assertFalse(takeover.releaseIdle());
        takeover.close();
        takeover.close();                                                  // idempotent
        assertTrue(takeover.isClosed());
        assertThrows(UsageViolation.class, () -> FrameEncoder.server(takeover).text("after close", out));
        reset.close();
    }

    @Test  // the decoder's half likewise: released between messages when the peer resets its context
    void decoderReleasesBetweenMessages() {
        var deflate = PerMessageDeflate.server(NO_TAKEOVER, ALWAYS);
        var decoder = FrameDecoder.server(WebSocketLimits.DEFAULTS, deflate);
        byte[] hello = frame(true, 4, TEXT, hex("f2 48 cd c9 c9 07 00"), RFC_KEY);
        assertEquals(texts("Hello"), WebSocketFeed.all(decoder, List.of(hello)));
        assertTrue(deflate.releaseIdle());
        assertEquals(texts("Hello"), WebSocketFeed.all(decoder, List.of(hello)));
        deflate.close();
    }
}
