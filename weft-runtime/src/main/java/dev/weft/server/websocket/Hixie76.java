package dev.weft.server.websocket;

import dev.weft.net.Connection;
import dev.weft.protocol.http1.DateCache;
import dev.weft.protocol.http1.Http1Writer;
import dev.weft.protocol.websocket.ServerHandshake;
import dev.weft.server.RequestContext;
import dev.weft.server.UpgradedConnection;
import dev.weft.websocket.WebSocketHandler;

import java.nio.ByteBuffer;

/**
 * The legacy hixie-76 handshake, which the HTTP/1.1 engine cannot finish: its answer depends on
 * 8 bytes the client sends after the request head, with no Content-Length. The connection is
 * handed over at the head; this collects the 8 bytes, answers, and becomes the session. Only with
 * {@code withLegacyHixie(true)}.
 */
final class Hixie76 implements UpgradedConnection {
    private final ServerHandshake handshake;
    private final ServerHandshake.UpgradeRequest request;
    private final WebSockets.Options options;
    private final WebSocketHandler handler;
    private final RequestContext context;
    private final ByteBuffer key3 = ByteBuffer.allocate(8);
    private UpgradedConnection session;                // after the answer, everything goes here

    Hixie76(ServerHandshake handshake, ServerHandshake.UpgradeRequest request, WebSockets.Options options,
            WebSocketHandler handler, RequestContext context) {
        this.handshake = handshake;
        this.request = request;
        this.options = options;
        this.handler = handler;
        this.context = context;
    }

    @Override public void onOpen(Connection c) { }

    @Override public void onRead(Connection c, ByteBuffer in) {
        if (session != null) {
            session.onRead(c, in);
            return;
        }
        while (key3.hasRemaining() && in.hasRemaining()) key3.put(in.get());
        if (key3.hasRemaining()) return;
        switch (handshake.accept(request, key3.flip())) {
            case ServerHandshake.Reject r -> c.close();
            case ServerHandshake.Accept a -> {
                if (!options.origin().test(a.origin())) {
                    c.close();
                    return;
                }
                new Http1Writer(new DateCache(System.currentTimeMillis())).writeInterim(a.status(), a.headers(), c.sink());
                c.write(a.body());
                c.flush();
                context.run(() -> session = WebSockets.session(a, options, handler));
                session.onOpen(c);
                if (in.hasRemaining()) session.onRead(c, in);
            }
        }
    }

    @Override public void onInputClosed(Connection c) {
        if (session != null) session.onInputClosed(c);
        else c.close();
    }

    @Override public void onWritable(Connection c) { if (session != null) session.onWritable(c); }

    @Override public void onClose(Connection c) { if (session != null) session.onClose(c); }

    @Override public void drain(Connection c) {
        if (session != null) session.drain(c);
        else c.close();
    }
}
