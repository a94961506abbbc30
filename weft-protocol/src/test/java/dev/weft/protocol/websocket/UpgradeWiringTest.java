package dev.weft.protocol.websocket;

import dev.weft.protocol.http.Method;
import dev.weft.protocol.http1.DateCache;
import dev.weft.protocol.http1.Http1Event;
import dev.weft.protocol.http1.Http1Limits;
import dev.weft.protocol.http1.Http1Parser;
import dev.weft.protocol.http1.Http1Writer;
import dev.weft.protocol.http1.Role;
import dev.weft.protocol.testing.CollectingSink;
import dev.weft.protocol.testing.Events;
import dev.weft.protocol.testing.WebSocketFeed;
import dev.weft.protocol.websocket.ClientHandshake.Accepted;
import dev.weft.protocol.websocket.ServerHandshake.Accept;
import dev.weft.protocol.websocket.ServerHandshake.UpgradeRequest;
import dev.weft.protocol.websocket.WebSocketEvent.Close;
import dev.weft.protocol.websocket.WebSocketEvent.MessageEnd;
import dev.weft.protocol.websocket.WebSocketEvent.MessageStart;
import dev.weft.protocol.websocket.WebSocketEvent.Signal;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;

import static dev.weft.protocol.websocket.Frames.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The codec as the server and client will wire it, through the HTTP/1.1 parser and writer: a
 * client's upgrade request, the server's 101, the client's check of it, then compressed messages
 * both ways and a closing handshake, through the version-neutral factories. Also the legacy path.
 */
class UpgradeWiringTest {
    private static final WebSocketLimits LIMITS = WebSocketLimits.DEFAULTS;

    @Test
    void clientAndServerOverTheHttpCodec() {
        var deflateOptions = DeflateOptions.DEFAULTS.withMinMessageBytes(0);
        var toServer = new CollectingSink();
        var toClient = new CollectingSink();
        var writer = new Http1Writer(new DateCache(0));

        // client: the GET
        var client = ClientHandshake.start(ClientHandshake.Options.DEFAULTS.withSubprotocols("chat").withDeflate(deflateOptions),
            new SplittableRandom(9));
        writer.writeRequestHead(Method.GET, "/chat", client.headers().add("Host", "example.com"), Http1Writer.NO_BODY, toServer);
        var clientParser = new Http1Parser(Role.CLIENT, Http1Limits.DEFAULTS);
        clientParser.requestSent(Method.GET);

        // server: parse, accept, answer 101 with the head writer's interim form
        var handshake = new ServerHandshake(ServerHandshake.Options.DEFAULTS.withSubprotocols("chat").withDeflate(deflateOptions));
        var accept = assertInstanceOf(Accept.class, handshake.accept(upgradeRequest(toServer.take())));
        writer.writeInterim(accept.status(), accept.headers(), toClient);
        Optional<PerMessageDeflate> serverDeflate = accept.deflate().map(p -> PerMessageDeflate.server(p, deflateOptions));
        WebSocketEncoder serverOut = WebSocketEncoder.server(accept.version(), serverDeflate);
        WebSocketDecoder serverIn = WebSocketDecoder.server(accept.version(), LIMITS, serverDeflate);
        serverOut.text("welcome", toClient);                              // frames may follow the 101 in the same write

        // client: the 101, then frames from the same bytes
        var in = ByteBuffer.wrap(toClient.take());
        clientParser.feed(in);
        var response = (Http1Event.ResponseHead) clientParser.next();
        assertInstanceOf(Http1Event.EndOfMessage.class, clientParser.next());
        assertSame(Http1Event.Signal.PAUSED, clientParser.next());
        var accepted = assertInstanceOf(Accepted.class, client.finish(response.status(), response.headers()));
        assertEquals(Optional.of("chat"), accepted.subprotocol());
        Optional<PerMessageDeflate> clientDeflate = accepted.deflate().map(p -> PerMessageDeflate.client(p, deflateOptions));
        WebSocketDecoder clientIn = WebSocketDecoder.client(LIMITS, clientDeflate);
        WebSocketEncoder clientOut = WebSocketEncoder.client(new SplittableRandom(3), clientDeflate);
        assertEquals(List.of(MessageStart.TEXT, new Events.Data(utf8("welcome")), MessageEnd.END), WebSocketFeed.all(clientIn, List.of(rest(in))));

        // both ways, compressed, then the closing handshake
        clientOut.text("hello from the client, compressed", toServer);
        clientOut.close(CloseCodes.NORMAL_CLOSURE, "done", toServer);
        assertEquals(List.of(MessageStart.TEXT, new Events.Data(utf8("hello from the client, compressed")), MessageEnd.END,
            new Close(1000, "done"), Signal.CLOSED), WebSocketFeed.all(serverIn, List.of(toServer.take())));
        serverOut.close(1000, "", toClient);
        assertEquals(List.of(new Close(1000, ""), Signal.CLOSED), WebSocketFeed.all(clientIn, List.of(toClient.take())));
        serverDeflate.orElseThrow().close();
        clientDeflate.orElseThrow().close();
    }

    @Test  // the legacy path: hixie-76's body after the 101, then its framing, through the same factories
    void legacyServer() {
        var handshake = new ServerHandshake(ServerHandshake.Options.DEFAULTS.withLegacyHixie(true));
        var parsed = LegacyHandshakeTest.parse(LegacyHandshakeTest.HIXIE_76_REQUEST, false);
        assertEquals(8, handshake.bytesAfterHead(parsed.request().headers()));
        var accept = assertInstanceOf(Accept.class, handshake.accept(parsed.request(), parsed.rest()));
        var out = new CollectingSink();
        new Http1Writer(new DateCache(0)).writeInterim(accept.status(), accept.headers(), out);
        out.write(accept.body());
        String wire = new String(out.take(), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(wire.startsWith("HTTP/1.1 101 WebSocket Protocol Handshake\r\n"), wire);
        assertTrue(wire.endsWith("\r\n\r\n8jKS'y:G*Co,Wxa-"), wire);
        WebSocketEncoder encoder = WebSocketEncoder.server(accept.version(), Optional.empty());
        WebSocketDecoder decoder = WebSocketDecoder.server(accept.version(), LIMITS, Optional.empty());
        assertInstanceOf(HixieEncoder.class, encoder);
        encoder.text("hi", out);
        assertArrayEquals(concat(hex("00"), utf8("hi"), hex("FF")), out.take());
        assertEquals(List.of(MessageStart.TEXT, new Events.Data(utf8("yo")), MessageEnd.END),
            WebSocketFeed.all(decoder, List.of(concat(hex("00"), utf8("yo"), hex("FF")))));
    }

    /** What the server's HTTP/1.1 parser makes of the request: its head, its end, then PAUSED for the upgrade. */
    private static UpgradeRequest upgradeRequest(byte[] wire) {
        var parser = new Http1Parser(Role.SERVER, Http1Limits.DEFAULTS);
        parser.feed(ByteBuffer.wrap(wire));
        var head = (Http1Event.RequestHead) parser.next();
        assertTrue(head.upgrade());
        assertInstanceOf(Http1Event.EndOfMessage.class, parser.next());
        assertSame(Http1Event.Signal.PAUSED, parser.next());
        return new UpgradeRequest(head.method(), head.version(), head.target().raw(), head.headers(), false);
    }

    private static byte[] rest(ByteBuffer b) {
        byte[] r = new byte[b.remaining()];
        b.get(r);
        return r;
    }

    @Test  // a server that accepted no extension gets plain codecs
    void noExtensionPlainCodecs() {
        assertInstanceOf(FrameDecoder.class, WebSocketDecoder.server(WebSocketVersion.HYBI_08, LIMITS, Optional.empty()));
        assertInstanceOf(FrameEncoder.class, WebSocketEncoder.server(WebSocketVersion.RFC_6455, Optional.empty()));
    }
}
