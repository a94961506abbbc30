package dev.weft.protocol.websocket;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.http1.Http1Event;
import dev.weft.protocol.http1.Http1Limits;
import dev.weft.protocol.http1.Http1Parser;
import dev.weft.protocol.http1.Role;
import dev.weft.protocol.websocket.ServerHandshake.Accept;
import dev.weft.protocol.websocket.ServerHandshake.Outcome;
import dev.weft.protocol.websocket.ServerHandshake.Reject;
import dev.weft.protocol.websocket.ServerHandshake.UpgradeRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

/** The server's opening handshake (RFC 6455 §4.2) for versions 13, 8 and 7, from a parsed request head. */
class ServerHandshakeTest {
    /** The client's handshake of RFC 6455 §1.3. */
    static final String RFC_REQUEST = """
            GET /chat HTTP/1.1\r
            Host: server.example.com\r
            Upgrade: websocket\r
            Connection: Upgrade\r
            Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
            Origin: http://example.com\r
            Sec-WebSocket-Protocol: chat, superchat\r
            Sec-WebSocket-Version: 13\r
            \r
            """;

    static final ServerHandshake PLAIN = new ServerHandshake(ServerHandshake.Options.DEFAULTS);

    /** The request as the server's HTTP/1.1 parser reads it: the head, its end, then PAUSED for the upgrade. */
    static UpgradeRequest parse(String wire) {
        var parser = new Http1Parser(Role.SERVER, Http1Limits.DEFAULTS);
        parser.feed(ByteBuffer.wrap(wire.getBytes(StandardCharsets.ISO_8859_1)));
        var head = (Http1Event.RequestHead) parser.next();
        return new UpgradeRequest(head.method(), head.version(), head.target().raw(), head.headers(), false);
    }

    /** {@link #RFC_REQUEST} with one field line replaced (or removed, for an empty replacement). */
    static String with(String field, String line) {
        String out = RFC_REQUEST.replaceAll("(?m)^" + field + ":.*\r\n", line.isEmpty() ? "" : line + "\r\n");
        assertNotEquals(RFC_REQUEST, out, field);
        return out;
    }

    static Reject rejected(ServerHandshake handshake, String wire) {
        return assertInstanceOf(Reject.class, handshake.accept(parse(wire)));
    }

    static Accept accepted(ServerHandshake handshake, String wire) {
        Outcome o = handshake.accept(parse(wire));
        return assertInstanceOf(Accept.class, o, o::toString);
    }

    @Test  // RFC 6455 §1.3
    void acceptValueOfTheRfcExample() {
        assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", ServerHandshake.acceptValue("dGhlIHNhbXBsZSBub25jZQ=="));
    }

    @Test  // RFC 6455 §1.3: the server's answer to the example
    void theRfcExample() {
        var handshake = new ServerHandshake(ServerHandshake.Options.DEFAULTS.withSubprotocols("chat"));
        Accept a = accepted(handshake, RFC_REQUEST);
        assertEquals(Status.SWITCHING_PROTOCOLS, a.status());
        assertEquals(Headers.of("Upgrade", "websocket", "Connection", "Upgrade",
            "Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "Sec-WebSocket-Protocol", "chat"), a.headers());
        assertEquals(Optional.of("chat"), a.subprotocol());
        assertEquals(Optional.empty(), a.deflate());
        assertEquals(WebSocketVersion.RFC_6455, a.version());
        assertEquals(Optional.of("http://example.com"), a.origin());
        assertEquals(0, a.body().remaining());
    }

    @Test  // §4.1: a GET; 405 says which method would do
    void onlyGet() {
        Reject r = rejected(PLAIN, RFC_REQUEST.replace("GET /chat", "POST /chat"));
        assertEquals(Status.METHOD_NOT_ALLOWED, r.status());
        assertEquals("GET", r.headers().firstOr("allow", ""));
    }

    @Test  // §4.1: HTTP/1.1 or higher
    void notOverHttp10() {
        assertEquals(Status.BAD_REQUEST, rejected(PLAIN, RFC_REQUEST.replace("HTTP/1.1", "HTTP/1.0")).status());
    }

    @Test  // §4.2.1 item 2: one Host, which the HTTP/1.1 parser already insists on; checked here for other callers
    void oneHost() {
        var noHost = parse(RFC_REQUEST).headers().copy();
        noHost.remove("host");
        var r = assertInstanceOf(Reject.class, PLAIN.accept(new UpgradeRequest(Method.GET, Version.HTTP_1_1, "/chat", noHost, false)));
        assertEquals(Status.BAD_REQUEST, r.status());
    }

    @Test  // §4.2.1 items 3, 4: the tokens, in any case, within lists
    void upgradeAndConnectionTokens() {
        accepted(PLAIN, with("Upgrade", "Upgrade: h2c, WebSocket"));
        accepted(PLAIN, with("Connection", "Connection: keep-alive, UPGRADE"));
        for (String wire : new String[] {with("Upgrade", ""), with("Upgrade", "Upgrade: websocket2"),
                                         with("Connection", ""), with("Connection", "Connection: keep-alive")}) {
            assertEquals(Status.BAD_REQUEST, rejected(PLAIN, wire).status(), wire);
        }
    }

    @ParameterizedTest @ValueSource(strings = {"6", "12", "14", "0", "13, 8", "thirteen", ""})  // §4.4
    void unsupportedVersionsAre426WithTheVersionsWeSpeak(String version) {
        Reject r = rejected(PLAIN, with("Sec-WebSocket-Version", "Sec-WebSocket-Version: " + version));
        assertEquals(Status.UPGRADE_REQUIRED, r.status());
        assertEquals("13, 8, 7", r.headers().firstOr("sec-websocket-version", ""));
    }

    @Test
    void aMissingOrRepeatedVersionIs400() {
        assertEquals(Status.BAD_REQUEST, rejected(PLAIN, with("Sec-WebSocket-Version", "")).status());
        String twice = with("Sec-WebSocket-Version", "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Version: 13");
        assertEquals(Status.BAD_REQUEST, rejected(PLAIN, twice).status());
    }

    @Test  // hybi-07 to -10: the same handshake, Sec-WebSocket-Origin for the origin
    void draftVersionsSevenAndEight() {
        for (String v : new String[] {"7", "8"}) {
            String wire = with("Sec-WebSocket-Version", "Sec-WebSocket-Version: " + v)
                .replace("Origin: http://example.com", "Sec-WebSocket-Origin: http://draft.example");
            Accept a = accepted(PLAIN, wire);
            assertEquals(v.equals("7") ? WebSocketVersion.HYBI_07 : WebSocketVersion.HYBI_08, a.version());
            assertEquals(Optional.of("http://draft.example"), a.origin());
            assertEquals("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", a.headers().firstOr("sec-websocket-accept", ""));
        }
    }

    @ParameterizedTest  // §4.1 item 7: base64 of exactly 16 bytes
    @ValueSource(strings = {"", "dGhlIHNhbXBsZSBub25jZQ", "dGhlIHNhbXBsZSBub25jZQ=", "dGhlIHNhbXBsZSBub25j", "dGhlIHNhbXBsZSBub25jZXM=",
                            "dGhlIHNhbXBsZSBub25jZXMx", "dGhlIHNhbXBsZSBub25jZXMxMg==", "dGhlIHNhbXBsZSBub25*ZQ==", "AAAAAAAAAAAAAAAAAAAA===="})
    void keysThatAreNotSixteenBytesAre400(String key) {
        assertEquals(Status.BAD_REQUEST, rejected(PLAIN, with("Sec-WebSocket-Key", "Sec-WebSocket-Key: " + key)).status());
    }

    @Test  // §11.3.1: the key appears once
    void aMissingOrRepeatedKeyIs400() {
        assertEquals(Status.BAD_REQUEST, rejected(PLAIN, with("Sec-WebSocket-Key", "")).status());
        String twice = with("Sec-WebSocket-Key", "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==");
        assertEquals(Status.BAD_REQUEST, rejected(PLAIN, twice).status());
        accepted(PLAIN, with("Sec-WebSocket-Key", "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA=="));
    }

    @Test  // §4.2.2: the server's preference picks among the client's offers, exactly as spelled
    void subprotocolNegotiation() {
        var handshake = new ServerHandshake(ServerHandshake.Options.DEFAULTS.withSubprotocols("superchat", "chat"));
        assertEquals(Optional.of("superchat"), accepted(handshake, RFC_REQUEST).subprotocol());
        String split = with("Sec-WebSocket-Protocol", "Sec-WebSocket-Protocol: , chat,\r\nSec-WebSocket-Protocol: v2");
        assertEquals(Optional.of("chat"), accepted(handshake, split).subprotocol());
        Accept none = accepted(handshake, with("Sec-WebSocket-Protocol", "Sec-WebSocket-Protocol: Chat, mqtt"));
        assertEquals(Optional.empty(), none.subprotocol());
        assertFalse(none.headers().contains("sec-websocket-protocol"));    // §4.2.2: no match, no field
        assertEquals(Optional.empty(), accepted(handshake, with("Sec-WebSocket-Protocol", "")).subprotocol());
        assertEquals(Status.BAD_REQUEST, rejected(handshake, with("Sec-WebSocket-Protocol", "Sec-WebSocket-Protocol: chat, {bad}")).status());
    }

    @Test  // §9.1: a malformed extension list is 400; unknown extensions are declined by leaving them out
    void extensions() {
        var handshake = new ServerHandshake(ServerHandshake.Options.DEFAULTS.withDeflate(DeflateOptions.DEFAULTS));
        String unknown = RFC_REQUEST.replace("Sec-WebSocket-Version", "Sec-WebSocket-Extensions: x-webkit-deflate-frame, foo; bar=\"baz\"\r\nSec-WebSocket-Version");
        Accept a = accepted(handshake, unknown);
        assertFalse(a.headers().contains("sec-websocket-extensions"));
        assertEquals(Optional.empty(), a.deflate());
        String malformed = RFC_REQUEST.replace("Sec-WebSocket-Version", "Sec-WebSocket-Extensions: permessage-deflate; =15\r\nSec-WebSocket-Version");
        assertEquals(Status.BAD_REQUEST, rejected(handshake, malformed).status());
        String offered = RFC_REQUEST.replace("Sec-WebSocket-Version", "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\nSec-WebSocket-Version");
        assertEquals(Optional.empty(), accepted(PLAIN, offered).deflate());             // not enabled: declined
        Accept deflate = accepted(handshake, offered);
        assertEquals("permessage-deflate; server_no_context_takeover; client_no_context_takeover",
            deflate.headers().firstOr("sec-websocket-extensions", ""));
        assertEquals(Optional.of(new DeflateParameters(true, true, 15, 15)), deflate.deflate());
    }

    @Test  // without the legacy opt-in, a hixie request is an ordinary bad request
    void legacyRequestsAreRefusedByDefault() {
        String hixie = LegacyHandshakeTest.HIXIE_76_REQUEST;
        assertEquals(0, PLAIN.bytesAfterHead(parse(hixie).headers()));
        assertEquals(Status.BAD_REQUEST, rejected(PLAIN, hixie).status());
        assertEquals(Status.BAD_REQUEST, rejected(PLAIN, LegacyHandshakeTest.HIXIE_75_REQUEST).status());
    }

    @Test  // nulls are the caller's bug
    void requestFieldsAreRequired() {
        assertThrows(NullPointerException.class, () -> new UpgradeRequest(Method.GET, Version.HTTP_1_1, null, new Headers(), false));
    }
}
