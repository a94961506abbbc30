package dev.weft.client;

import dev.weft.loop.EventLoop;
import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.Timer;
import dev.weft.net.Connection;
import dev.weft.net.ConnectionHandler;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.Connector;
import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http1.DateCache;
import dev.weft.protocol.http1.Http1Event;
import dev.weft.protocol.http1.Http1Limits;
import dev.weft.protocol.http1.Http1Parser;
import dev.weft.protocol.http1.Http1Writer;
import dev.weft.protocol.http1.Role;
import dev.weft.protocol.websocket.ClientHandshake;
import dev.weft.protocol.websocket.PerMessageDeflate;
import dev.weft.protocol.websocket.WebSocketDecoder;
import dev.weft.protocol.websocket.WebSocketEncoder;
import dev.weft.websocket.WebSocket;
import dev.weft.websocket.WebSocketHandler;
import dev.weft.websocket.WebSocketSession;
import dev.weft.websocket.WebSocketSettings;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * WebSocket connections from the client side, on a group's loops: the opening handshake with the
 * sans-IO {@link ClientHandshake} over the HTTP/1.1 writer and client-role parser, then the same
 * {@link WebSocketSession} a server uses, in the client role (frames masked, RFC 6455 §5.3, with
 * keys from a fast generator seeded from SecureRandom, one per connection).
 * <pre>{@code
 * WebSocket ws = WebSocketClient.connect(group, URI.create("ws://127.0.0.1:8080/chat"), Options.DEFAULTS, handler).join();
 * }</pre>
 */
public final class WebSocketClient {
    private static final SecureRandom SEEDS = new SecureRandom();

    /** The handshake offer, the session settings, and the handshake's deadline (connect included). */
    public record Options(ClientHandshake.Options handshake, WebSocketSettings session, Duration handshakeTimeout) {
        public static final Options DEFAULTS = new Options(ClientHandshake.Options.DEFAULTS, WebSocketSettings.DEFAULTS,
                Duration.ofSeconds(10));

        public Options {
            Objects.requireNonNull(handshake);
            Objects.requireNonNull(session);
            Objects.requireNonNull(handshakeTimeout);
        }

        public Options withHandshake(ClientHandshake.Options h) { return new Options(h, session, handshakeTimeout); }

        public Options withSession(WebSocketSettings s) { return new Options(handshake, s, handshakeTimeout); }
    }

    private WebSocketClient() {}

    /**
     * Connects to {@code uri} ({@code ws://} or {@code http://}) and completes, on the loop, with the
     * open WebSocket once the server accepted the handshake; fails with an IOException naming why
     * (refused, a status other than 101, an Accept that does not match, a timeout).
     */
    public static CompletableFuture<WebSocket> connect(EventLoopGroup group, URI uri, Options options, WebSocketHandler handler) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.equals("ws") && !scheme.equals("http")) throw new IllegalArgumentException("only ws:// and http:// URIs: " + uri);
        Origin origin = Origin.of(URI.create("http" + uri.toString().substring(scheme.length())));
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        var opening = new Opening(origin, target, options, handler);
        EventLoop loop = group.next();
        Connector.connect(loop, origin.address(), options.handshakeTimeout(), ConnectionOptions.defaults(), opening)
                .whenComplete((c, failure) -> {
                    if (failure != null) opening.result.completeExceptionally(failure);
                });
        return opening.result;
    }

    /** The connection's handler: the handshake, then the session, to which everything is passed on. */
    private static final class Opening implements ConnectionHandler {
        final CompletableFuture<WebSocket> result = new CompletableFuture<>();
        private final Origin origin;
        private final String target;
        private final Options options;
        private final WebSocketHandler handler;
        private final RandomGenerator masks = RandomGeneratorFactory.of("L64X128MixRandom").create(SEEDS.nextLong());
        private final Http1Parser parser = new Http1Parser(Role.CLIENT, Http1Limits.DEFAULTS);
        private ClientHandshake handshake;
        private WebSocketSession session;
        private Timer deadline;
        private boolean interim;

        Opening(Origin origin, String target, Options options, WebSocketHandler handler) {
            this.origin = origin;
            this.target = target;
            this.options = options;
            this.handler = handler;
        }

        @Override public void onOpen(Connection c) {
            handshake = ClientHandshake.start(options.handshake(), masks);
            Headers headers = handshake.headers().copy();
            if (!headers.contains(FieldName.HOST)) headers.add(FieldName.HOST, origin.hostField());
            new Http1Writer(new DateCache(System.currentTimeMillis())).writeRequestHead(Method.GET, target, headers,
                    Http1Writer.NO_BODY, c.sink());
            parser.requestSent(Method.GET);
            c.flush();
            deadline = c.loop().schedule(options.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS, () -> {
                if (session == null) fail(c, new SocketTimeoutException("no WebSocket handshake within " + options.handshakeTimeout()));
            });
        }

        @Override public void onRead(Connection c, ByteBuffer in) {
            if (session != null) {
                session.onRead(c, in);
                return;
            }
            try {
                parser.feed(in);
                for (;;) {
                    Http1Event e = parser.next();
                    if (e instanceof Http1Event.ResponseHead head) {
                        if (head.status().isInformational() && head.status().code() != 101) {
                            interim = true;
                            continue;
                        }
                        if (!accept(c, head)) return;
                    } else if (e == Http1Event.Signal.PAUSED) {
                        if (session != null && in.hasRemaining()) session.onRead(c, in);
                        return;
                    } else if (e instanceof Http1Event.EndOfMessage && interim) {
                        interim = false;
                    } else if (e instanceof Http1Event.Signal) {
                        if (e == Http1Event.Signal.CLOSED) fail(c, new IOException("the server closed during the handshake"));
                        return;
                    }
                }
            } catch (PeerViolation v) {
                fail(c, new IOException("the server broke HTTP/1.1 in its handshake answer: " + v.getMessage(), v));
            }
        }

        private boolean accept(Connection c, Http1Event.ResponseHead head) {
            switch (handshake.finish(head.status(), head.headers())) {
                case ClientHandshake.Failed f -> {
                    fail(c, new IOException("WebSocket handshake refused: " + head.status() + ": " + f.reason()));
                    return false;
                }
                case ClientHandshake.Accepted a -> {
                    deadline.cancel();
                    Optional<PerMessageDeflate> deflate = a.deflate().map(p -> PerMessageDeflate.client(p,
                            options.handshake().deflate().orElseThrow()));
                    session = WebSocketSession.of(WebSocketDecoder.client(options.session().limits(), deflate),
                            WebSocketEncoder.client(masks, deflate), deflate, a.subprotocol(), options.session(), handler, Runnable::run);
                    session.onOpen(c);
                    result.complete(session);
                    return true;
                }
            }
        }

        private void fail(Connection c, IOException e) {
            result.completeExceptionally(e);
            c.close();
        }

        @Override public void onInputClosed(Connection c) {
            if (session != null) session.onInputClosed(c);
            else fail(c, new IOException("the server closed during the handshake"));
        }

        @Override public void onWritable(Connection c) { if (session != null) session.onWritable(c); }

        @Override public void onClose(Connection c) {
            if (deadline != null) deadline.cancel();
            if (session != null) session.onClose(c);
            else result.completeExceptionally(c.failure().orElseGet(() -> new IOException("connection closed")));
        }
    }
}
