package dev.weft.protocol.websocket;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.http1.Http1Event;
import dev.weft.protocol.http1.Http1Limits;
import dev.weft.protocol.http1.Http1Parser;
import dev.weft.protocol.http1.Role;
import dev.weft.protocol.testing.Events;
import dev.weft.protocol.testing.WebSocketFeed;
import dev.weft.protocol.websocket.ServerHandshake.Accept;
import dev.weft.protocol.websocket.ServerHandshake.Reject;
import dev.weft.protocol.websocket.ServerHandshake.UpgradeRequest;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static dev.weft.protocol.websocket.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

/** The legacy handshakes and framing of draft-hixie-75 and -76, behind ServerHandshake's opt-in. */
class LegacyHandshakeTest {
    /** The example of draft-hixie-thewebsocketprotocol-76 §1.3, key3 included after the head. */
    static final String HIXIE_76_REQUEST = """
            GET /demo HTTP/1.1\r
            Host: example.com\r
            Connection: Upgrade\r
            Sec-WebSocket-Key2: 12998 5 Y3 1  .P00\r
            Sec-WebSocket-Protocol: sample\r
            Upgrade: WebSocket\r
            Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r
            Origin: http://example.com\r
            \r
            ^n:ds[4U""";

    /** The example of draft-hixie-thewebsocketprotocol-75 §1.2. */
    static final String HIXIE_75_REQUEST = """
            GET /demo HTTP/1.1\r
            Upgrade: WebSocket\r
            Connection: Upgrade\r
            Host: example.com\r
            Origin: http://example.com\r
            WebSocket-Protocol: sample\r
            \r
            """;

    static final ServerHandshake LEGACY = new ServerHandshake(ServerHandshake.Options.DEFAULTS.withLegacyHixie(true).withSubprotocols("sample"));

    /** Parses the head the way a server does, and returns it with whatever bytes it left unconsumed. */
    record Parsed(UpgradeRequest request, ByteBuffer rest) {}

    static Parsed parse(String wire, boolean secure) {
        var parser = new Http1Parser(Role.SERVER, Http1Limits.DEFAULTS);
        var in = ByteBuffer.wrap(wire.getBytes(StandardCharsets.ISO_8859_1));
        parser.feed(in);
        var head = (Http1Event.RequestHead) parser.next();
        assertInstanceOf(Http1Event.EndOfMessage.class, parser.next());
        assertSame(Http1Event.Signal.PAUSED, parser.next());                // the upgrade stops HTTP/1.1 here
        return new Parsed(new UpgradeRequest(head.method(), head.version(), head.target().raw(), head.headers(), secure), in);
    }

    @Test  // draft-hixie-76 §1.3: the challenge answered with "8jKS'y:G*Co,Wxa-"
    void hixie76Example() {
        Parsed p = parse(HIXIE_76_REQUEST, false);
        assertEquals(8, LEGACY.bytesAfterHead(p.request().headers()));
        assertEquals(8, p.rest().remaining());                           // the key the parser left for us
        Accept a = assertInstanceOf(Accept.class, LEGACY.accept(p.request(), p.rest()));
        assertEquals(101, a.status().code());
        assertEquals("WebSocket Protocol Handshake", a.status().reason());
        assertEquals(Headers.of("Upgrade", "WebSocket", "Connection", "Upgrade", "Sec-WebSocket-Origin", "http://example.com",
            "Sec-WebSocket-Location", "ws://example.com/demo", "Sec-WebSocket-Protocol", "sample"), a.headers());
        byte[] body = new byte[a.body().remaining()];
        a.body().duplicate().get(body);
        assertEquals("8jKS'y:G*Co,Wxa-", new String(body, StandardCharsets.ISO_8859_1));
        assertEquals(WebSocketVersion.HIXIE_76, a.version());
        assertTrue(a.version().isLegacy());
        assertEquals(Optional.of("sample"), a.subprotocol());
    }

    @Test  // draft-hixie-76 §5.2: each key's number divided by its spaces
    void keyParts() {
        assertEquals(4_146_546_015L / 5, LegacyHandshake.keyPart("4 @1  46546xW%0l 1 5"));
        assertEquals(1_299_853_100L / 5, LegacyHandshake.keyPart("12998 5 Y3 1  .P00"));
        assertEquals(-1, LegacyHandshake.keyPart("12345"));                 // no spaces
        assertEquals(-1, LegacyHandshake.keyPart("1 0 1"));                 // 101 is not a multiple of 2
        assertEquals(-1, LegacyHandshake.keyPart("9 999 999 999"));         // beyond 32 bits
        assertEquals(0xFFFF_FFFFL, LegacyHandshake.keyPart("4294967295 "));
    }

    @Test
    void badHixie76Requests() {
        String noSpaces = HIXIE_76_REQUEST.replace("Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5", "Sec-WebSocket-Key1: 4@146546xW%0l15");
        Parsed p = parse(noSpaces, false);
        assertEquals(Status.BAD_REQUEST, assertInstanceOf(Reject.class, LEGACY.accept(p.request(), p.rest())).status());
        Parsed noOrigin = parse(HIXIE_76_REQUEST.replace("Origin: http://example.com\r\n", ""), false);
        assertInstanceOf(Reject.class, LEGACY.accept(noOrigin.request(), noOrigin.rest()));
        Parsed short3 = parse(HIXIE_76_REQUEST, false);
        assertThrows(UsageViolation.class, () -> LEGACY.accept(short3.request(), short3.rest().limit(short3.rest().limit() - 1)));
    }

    @Test  // draft-hixie-75 §1.2 and §4.2: no challenge, WebSocket-* fields, and its own reason phrase
    void hixie75Example() {
        Parsed p = parse(HIXIE_75_REQUEST, true);
        assertEquals(0, LEGACY.bytesAfterHead(p.request().headers()));
        Accept a = assertInstanceOf(Accept.class, LEGACY.accept(p.request()));
        assertEquals("Web Socket Protocol Handshake", a.status().reason());
        assertEquals(Headers.of("Upgrade", "WebSocket", "Connection", "Upgrade", "WebSocket-Origin", "http://example.com",
            "WebSocket-Location", "wss://example.com/demo", "WebSocket-Protocol", "sample"), a.headers());
        assertEquals(WebSocketVersion.HIXIE_75, a.version());
        assertEquals(0, a.body().remaining());
    }

    @Test  // the modern handshake still works with the opt-in
    void modernRequestsAreUnaffected() {
        var a = assertInstanceOf(Accept.class, LEGACY.accept(ServerHandshakeTest.parse(ServerHandshakeTest.RFC_REQUEST)));
        assertEquals(WebSocketVersion.RFC_6455, a.version());
    }

    // ---- the legacy framing (draft-hixie-76 §5.2, §5.3) ----

    static final java.util.function.Supplier<HixieDecoder> HIXIE = () -> new HixieDecoder(WebSocketLimits.DEFAULTS);

    @Test
    void textFramesAndTheClosingHandshake() {
        byte[] wire = concat(hex("00"), utf8("Hello ✓"), hex("FF"), hex("00 FF"), hex("FF 00"));
        assertEquals(List.of(WebSocketEvent.MessageStart.TEXT, new Events.Data(utf8("Hello ✓")), WebSocketEvent.MessageEnd.END,
            WebSocketEvent.MessageStart.TEXT, WebSocketEvent.MessageEnd.END,
            new WebSocketEvent.Close(CloseCodes.NO_STATUS_RECEIVED, ""), WebSocketEvent.Signal.CLOSED), WebSocketFeed.events(HIXIE, wire));
    }

    @Test  // §5.3: frames of other types are read to their end and discarded
    void otherFrameTypesAreDiscarded() {
        byte[] wire = concat(hex("80 03 01 02 03"), hex("81 81 00"), pattern(128), hex("05"), utf8("skip"), hex("FF"),
            hex("00"), utf8("kept"), hex("FF"));
        assertEquals(List.of(WebSocketEvent.MessageStart.TEXT, new Events.Data(utf8("kept")), WebSocketEvent.MessageEnd.END),
            WebSocketFeed.events(HIXIE, wire));
    }

    @Test
    void textIsUtf8AndFramesAreBounded() {
        assertEquals(WebSocketViolation.INVALID_UTF8, WebSocketFeed.violation(HIXIE, concat(hex("00"), utf8("ok"), hex("C0 80 FF"))));
        assertEquals(3, WebSocketFeed.failingByte(HIXIE.get(), concat(hex("00"), utf8("ok"), hex("C0 80 FF"))));
        assertEquals(WebSocketViolation.INVALID_UTF8, WebSocketFeed.violation(HIXIE, concat(hex("00 E2 82 FF"))));
        var small = new WebSocketLimits(200, 300);
        java.util.function.Supplier<HixieDecoder> bounded = () -> new HixieDecoder(small);
        assertEquals(WebSocketViolation.FRAME_TOO_LARGE, WebSocketFeed.violation(bounded, concat(hex("00"), utf8("a".repeat(201)), hex("FF"))));
        assertEquals(201, WebSocketFeed.failingByte(bounded.get(), concat(hex("00"), utf8("a".repeat(300)))));
        assertEquals(WebSocketViolation.FRAME_TOO_LARGE, WebSocketFeed.violation(bounded, hex("80 82 00")));       // 256 declared
        assertEquals(WebSocketViolation.FRAME_TOO_LARGE, WebSocketFeed.violation(bounded, hex("80 FF FF FF FF FF 7F")));
        // invalid UTF-8 within the limit wins over the limit, however the input is cut
        assertEquals(WebSocketViolation.INVALID_UTF8, WebSocketFeed.violation(bounded, concat(hex("00 C0"), utf8("a".repeat(300)))));
    }

    @Test  // §5.2: 0x00, UTF-8, 0xFF; the closing handshake 0xFF 0x00; no binary, ping or pong
    void encoder() {
        var out = new dev.weft.protocol.testing.CollectingSink();
        var encoder = new HixieEncoder();
        encoder.text("Hello ✓", out);
        encoder.text("x".repeat(10_000), out);
        encoder.message(MessageType.TEXT, ByteBuffer.wrap(utf8("bytes")), out);
        encoder.fragment(MessageType.TEXT, ByteBuffer.wrap(utf8("frag")), false, out);
        assertThrows(UsageViolation.class, () -> encoder.text("inside", out));
        encoder.fragment(MessageType.TEXT, ByteBuffer.wrap(utf8("ment")), true, out);
        assertThrows(UsageViolation.class, () -> encoder.binary(ByteBuffer.allocate(1), out));
        assertThrows(UsageViolation.class, () -> encoder.ping(ByteBuffer.allocate(1), out));
        assertThrows(UsageViolation.class, () -> encoder.message(MessageType.TEXT, ByteBuffer.wrap(hex("61 FF 00 62")), out));
        encoder.close(CloseCodes.GOING_AWAY, "ignored", out);
        assertTrue(encoder.isClosed());
        assertThrows(UsageViolation.class, () -> encoder.text("late", out));
        byte[] expected = concat(hex("00"), utf8("Hello ✓"), hex("FF 00"), utf8("x".repeat(10_000)), hex("FF 00"), utf8("bytes"),
            hex("FF 00"), utf8("fragment"), hex("FF FF 00"));
        assertArrayEquals(expected, out.bytes());
        assertEquals(List.of(WebSocketEvent.MessageStart.TEXT, new Events.Data(utf8("Hello ✓")), WebSocketEvent.MessageEnd.END,
                WebSocketEvent.MessageStart.TEXT, new Events.Data(utf8("x".repeat(10_000))), WebSocketEvent.MessageEnd.END,
                WebSocketEvent.MessageStart.TEXT, new Events.Data(utf8("bytes")), WebSocketEvent.MessageEnd.END,
                WebSocketEvent.MessageStart.TEXT, new Events.Data(utf8("fragment")), WebSocketEvent.MessageEnd.END,
                new WebSocketEvent.Close(CloseCodes.NO_STATUS_RECEIVED, ""), WebSocketEvent.Signal.CLOSED),
            WebSocketFeed.all(HIXIE.get(), List.of(expected)));
    }
}
