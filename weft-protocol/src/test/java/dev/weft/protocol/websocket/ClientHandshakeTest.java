package dev.weft.protocol.websocket;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.websocket.ClientHandshake.Accepted;
import dev.weft.protocol.websocket.ClientHandshake.Failed;
import dev.weft.protocol.websocket.ServerHandshake.Accept;
import dev.weft.protocol.websocket.ServerHandshake.UpgradeRequest;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.*;

/** The client's opening handshake (RFC 6455 §4.1), alone and against ServerHandshake. */
class ClientHandshakeTest {
    static final ClientHandshake.Options CHAT = ClientHandshake.Options.DEFAULTS.withSubprotocols("v2.chat", "chat");

    /** A 101 from our server for this client's request. */
    static Accept serverAnswer(ClientHandshake client, ServerHandshake.Options options) {
        return serverAnswer(client.headers().add("Host", "example.com").add("Origin", "https://example.com"), options);
    }

    static Accept serverAnswer(Headers request, ServerHandshake.Options options) {
        return assertInstanceOf(Accept.class,
            new ServerHandshake(options).accept(new UpgradeRequest(Method.GET, Version.HTTP_1_1, "/", request, true)));
    }

    @Test  // §4.1: a 16-byte nonce from the caller's generator, base64
    void requestFields() {
        var client = ClientHandshake.start(CHAT.withDeflate(DeflateOptions.DEFAULTS), new SplittableRandom(7));
        assertEquals(16, Base64.getDecoder().decode(client.key()).length);
        assertEquals(Headers.of("Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Key", client.key(),
            "Sec-WebSocket-Version", "13", "Sec-WebSocket-Protocol", "v2.chat, chat",
            "Sec-WebSocket-Extensions", "permessage-deflate; server_no_context_takeover; client_no_context_takeover"), client.headers());
        assertNotEquals(client.key(), ClientHandshake.start(CHAT, new SplittableRandom(8)).key());
        assertEquals(Headers.of("Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Key", client.key(),
            "Sec-WebSocket-Version", "13"), ClientHandshake.start(ClientHandshake.Options.DEFAULTS, new SplittableRandom(7)).headers());
    }

    @Test  // client and server agree: subprotocol by the server's preference, deflate parameters alike
    void againstOurServer() {
        var client = ClientHandshake.start(CHAT.withDeflate(DeflateOptions.DEFAULTS.withContextTakeover(true, true)), new SplittableRandom(1));
        Accept a = serverAnswer(client, ServerHandshake.Options.DEFAULTS.withSubprotocols("chat", "v2.chat")
            .withDeflate(DeflateOptions.DEFAULTS.withContextTakeover(false, true)));
        var result = assertInstanceOf(Accepted.class, client.finish(a.status(), a.headers()));
        assertEquals(Optional.of("chat"), result.subprotocol());
        assertEquals(a.deflate(), result.deflate());
        assertEquals(Optional.of(new DeflateParameters(true, false, 15, 15)), result.deflate());
        assertEquals(Optional.of("https://example.com"), a.origin());
    }

    @Test  // hybi-07 and -08: the version number, and the origin as Sec-WebSocket-Origin
    void draftVersions() {
        for (var version : new WebSocketVersion[] {WebSocketVersion.HYBI_07, WebSocketVersion.HYBI_08}) {
            var client = ClientHandshake.start(CHAT.withVersion(version).withOrigin("https://old.example"), new SplittableRandom(6));
            assertEquals(Integer.toString(version.number()), client.headers().firstOr("sec-websocket-version", ""));
            assertFalse(client.headers().contains("origin"));
            Accept a = serverAnswer(client.headers().add("Host", "example.com"), ServerHandshake.Options.DEFAULTS);
            assertEquals(version, a.version());
            assertEquals(Optional.of("https://old.example"), a.origin());
            assertInstanceOf(Accepted.class, client.finish(a.status(), a.headers()));
        }
        assertThrows(IllegalArgumentException.class, () -> CHAT.withVersion(WebSocketVersion.HIXIE_76));
    }

    @Test
    void aServerWithoutCommonGroundAnswersPlainly() {
        var client = ClientHandshake.start(CHAT.withDeflate(DeflateOptions.DEFAULTS), new SplittableRandom(2));
        Accept a = serverAnswer(client, ServerHandshake.Options.DEFAULTS);
        assertEquals(new Accepted(Optional.empty(), Optional.empty()), client.finish(a.status(), a.headers()));
    }

    /** The accepted response for {@code client}, with {@code field} set to {@code value} (removed if null). */
    static Headers response(ClientHandshake client, String field, String value) {
        var h = Headers.of("Upgrade", "websocket", "Connection", "Upgrade", "Sec-WebSocket-Accept", ServerHandshake.acceptValue(client.key()));
        if (value == null) h.remove(field);
        else h.set(field, value);
        return h;
    }

    @Test  // §4.1: each way a response fails the connection
    void badResponses() {
        var client = ClientHandshake.start(CHAT.withDeflate(DeflateOptions.DEFAULTS), new SplittableRandom(3));
        assertInstanceOf(Accepted.class, client.finish(Status.SWITCHING_PROTOCOLS, response(client, "Upgrade", "WebSocket")));
        assertInstanceOf(Failed.class, client.finish(Status.OK, response(client, "Upgrade", "websocket")));
        assertInstanceOf(Failed.class, client.finish(Status.SWITCHING_PROTOCOLS, response(client, "Upgrade", null)));
        assertInstanceOf(Failed.class, client.finish(Status.SWITCHING_PROTOCOLS, response(client, "Upgrade", "h2c")));
        assertInstanceOf(Failed.class, client.finish(Status.SWITCHING_PROTOCOLS, response(client, "Connection", "close")));
        assertInstanceOf(Failed.class, client.finish(Status.SWITCHING_PROTOCOLS, response(client, "Sec-WebSocket-Accept", null)));
        assertInstanceOf(Failed.class, client.finish(Status.SWITCHING_PROTOCOLS,
            response(client, "Sec-WebSocket-Accept", ServerHandshake.acceptValue("dGhlIHNhbXBsZSBub25jZQ=="))));
        assertEquals(new Accepted(Optional.of("chat"), Optional.empty()),
            client.finish(Status.SWITCHING_PROTOCOLS, response(client, "Sec-WebSocket-Protocol", "chat")));
        for (String bad : new String[] {"mqtt", "chat, v2.chat", "Chat"}) {
            assertInstanceOf(Failed.class, client.finish(Status.SWITCHING_PROTOCOLS, response(client, "Sec-WebSocket-Protocol", bad)), bad);
        }
        var twice = response(client, "Sec-WebSocket-Protocol", "chat").add("Sec-WebSocket-Protocol", "chat");
        assertInstanceOf(Failed.class, client.finish(Status.SWITCHING_PROTOCOLS, twice));
    }

    @Test  // RFC 7692 §5, §7.1: only what we offered, with parameters we can keep
    void extensionResponses() {
        var client = ClientHandshake.start(CHAT.withDeflate(DeflateOptions.DEFAULTS), new SplittableRandom(4));
        assertEquals(Optional.of(new DeflateParameters(false, true, 15, 15)), deflate(client, "permessage-deflate"));
        assertEquals(Optional.of(new DeflateParameters(true, true, 10, 15)),
            deflate(client, "permessage-deflate; server_no_context_takeover; server_max_window_bits=10"));
        assertEquals(Optional.of(new DeflateParameters(false, true, 8, 15)), deflate(client, "permessage-deflate;server_max_window_bits=\"8\""));
        for (String bad : new String[] {"permessage-deflate; client_max_window_bits=10", "permessage-deflate; client_max_window_bits",
                                        "permessage-deflate; server_max_window_bits=16", "permessage-deflate; server_max_window_bits",
                                        "permessage-deflate; x=1", "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
                                        "permessage-deflate; server_no_context_takeover=1", "permessage-deflate, permessage-deflate",
                                        "x-webkit-deflate-frame", "permessage-deflate;", "permessage-deflate; server_max_window_bits=09"}) {
            assertInstanceOf(Failed.class, client.finish(Status.SWITCHING_PROTOCOLS, response(client, "Sec-WebSocket-Extensions", bad)), bad);
        }
        var plain = ClientHandshake.start(CHAT, new SplittableRandom(5));
        assertInstanceOf(Failed.class, plain.finish(Status.SWITCHING_PROTOCOLS, response(plain, "Sec-WebSocket-Extensions", "permessage-deflate")));
    }

    private static Optional<DeflateParameters> deflate(ClientHandshake client, String extensions) {
        var r = client.finish(Status.SWITCHING_PROTOCOLS, response(client, "Sec-WebSocket-Extensions", extensions));
        return assertInstanceOf(Accepted.class, r, extensions).deflate();
    }
}
