package dev.weft.server.websocket;

import dev.weft.net.Connection;
import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.websocket.PerMessageDeflate;
import dev.weft.protocol.websocket.ServerHandshake;
import dev.weft.protocol.websocket.WebSocketDecoder;
import dev.weft.protocol.websocket.WebSocketEncoder;
import dev.weft.server.Exchange;
import dev.weft.server.Handler;
import dev.weft.server.Request;
import dev.weft.server.RequestContext;
import dev.weft.server.Response;
import dev.weft.server.UpgradedConnection;
import dev.weft.websocket.BlockingWebSocket;
import dev.weft.websocket.WebSocketHandler;
import dev.weft.websocket.WebSocketSession;
import dev.weft.websocket.WebSocketSettings;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * WebSocket routes: any route can accept an upgrade.
 * <pre>{@code
 * Server.builder().get("/echo", WebSockets.route(request -> new WebSocketHandler() {
 *     public void onText(WebSocket ws, String text) { ws.sendText(text); }
 * }))
 * }</pre>
 * The handshake is the sans-IO {@link ServerHandshake}'s (RFC 6455, and hybi-07/08; hixie-75/76
 * only if {@link ServerHandshake.Options#withLegacyHixie} opts in): a request that does not ask to
 * upgrade is answered 426 with {@code Upgrade: websocket}; a malformed handshake 400; an unknown
 * version 426 with the versions spoken; a refused origin 403. An accepted one switches the
 * connection: the handler is made per connection, its callbacks run on the loop in the context of
 * the request that opened it.
 */
public final class WebSockets {
    private WebSockets() {}

    /** Handshake rules, session settings and the origin check of a route. */
    public record Options(ServerHandshake.Options handshake, WebSocketSettings session, Predicate<Optional<String>> origin) {
        public static final Options DEFAULTS = new Options(ServerHandshake.Options.DEFAULTS, WebSocketSettings.DEFAULTS, _ -> true);

        public Options {
            Objects.requireNonNull(handshake);
            Objects.requireNonNull(session);
            Objects.requireNonNull(origin);
        }

        public Options withHandshake(ServerHandshake.Options h) { return new Options(h, session, origin); }

        public Options withSession(WebSocketSettings s) { return new Options(handshake, s, origin); }

        /** Accepts only requests whose Origin (absent for non-browser clients) passes {@code check}; else 403. */
        public Options withOriginCheck(Predicate<Optional<String>> check) { return new Options(handshake, session, check); }
    }

    public static Handler.Async route(Function<Request, WebSocketHandler> handlers) { return route(Options.DEFAULTS, handlers); }

    public static Handler.Async route(Options options, Function<Request, WebSocketHandler> handlers) {
        var handshake = new ServerHandshake(options.handshake());
        return (request, exchange) -> upgrade(options, handshake, handlers, request, exchange);
    }

    /**
     * A route whose sessions are written in the blocking style: {@code bodies} gives, per
     * handshake request, the code run on a virtual thread of its own for that WebSocket, in the
     * request's context (see {@link BlockingWebSocket}).
     */
    public static Handler.Async blocking(Function<Request, BlockingWebSocket.Body> bodies) {
        return blocking(Options.DEFAULTS, bodies);
    }

    public static Handler.Async blocking(Options options, Function<Request, BlockingWebSocket.Body> bodies) {
        return route(options, request -> BlockingWebSocket.handler(BlockingWebSocket.DEFAULT_QUEUE,
                RequestContext.capture()::run, bodies.apply(request)));
    }

    private static void upgrade(Options options, ServerHandshake handshake, Function<Request, WebSocketHandler> handlers,
                                Request request, Exchange exchange) {
        if (!request.isUpgrade()) {
            exchange.reply(Response.text(Status.UPGRADE_REQUIRED, "this resource speaks WebSocket\n")
                    .withHeader(FieldName.UPGRADE, "websocket").withHeader(FieldName.CONNECTION, "Upgrade"));
            return;
        }
        var upgrade = new ServerHandshake.UpgradeRequest(request.method(), request.version(), request.target().raw(),
                request.headers(), false);
        if (handshake.bytesAfterHead(request.headers()) > 0) {                // hixie-76: 8 more bytes, then the answer
            exchange.handOver(new Hixie76(handshake, upgrade, options, handlers.apply(request), RequestContext.capture()));
            return;
        }
        switch (handshake.accept(upgrade)) {
            case ServerHandshake.Reject r -> exchange.reply(new Response(r.status(), r.headers(),
                    ByteBuffer.wrap((r.reason() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            case ServerHandshake.Accept a -> {
                if (!options.origin().test(a.origin())) {
                    exchange.reply(Response.text(Status.FORBIDDEN, "origin not allowed\n"));
                    return;
                }
                exchange.switchProtocols(a.status(), a.headers(), session(a, options, handlers.apply(request)));
            }
        }
    }

    /** The session for an accepted handshake, as the connection's new protocol. */
    static UpgradedConnection session(ServerHandshake.Accept a, Options options, WebSocketHandler handler) {
        var context = RequestContext.capture();
        Optional<PerMessageDeflate> deflate = a.deflate().map(p -> PerMessageDeflate.server(p,
                options.handshake().deflate().orElseThrow()));
        var session = WebSocketSession.of(WebSocketDecoder.server(a.version(), options.session().limits(), deflate),
                WebSocketEncoder.server(a.version(), deflate), deflate, a.subprotocol(), options.session(), handler, context::run);
        return new Upgraded(session);
    }

    /** The session as the server's upgraded connection: a graceful stop closes with 1001. */
    record Upgraded(WebSocketSession session) implements UpgradedConnection {
        @Override public void onOpen(Connection c) { session.onOpen(c); }
        @Override public void onRead(Connection c, ByteBuffer in) { session.onRead(c, in); }
        @Override public void onInputClosed(Connection c) { session.onInputClosed(c); }
        @Override public void onWritable(Connection c) { session.onWritable(c); }
        @Override public void onClose(Connection c) { session.onClose(c); }
        @Override public void drain(Connection c) { session.close(1001, "server going away"); }
    }
}
