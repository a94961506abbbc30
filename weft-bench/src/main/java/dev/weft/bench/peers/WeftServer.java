package dev.weft.bench.peers;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.server.Handler;
import dev.weft.server.Response;
import dev.weft.server.Server;
import dev.weft.server.ServerTimeouts;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Weft's own server with async handlers (they run on the loop and reply at once): one loop per
 * core, a backlog of 8192 like the Netty peer, and one immutable pre-built Response for
 * /plaintext that every request reuses (Response is immutable and may be sent any number of
 * times). The keep-alive idle deadline is raised from 60 s to an hour so the idle scenario
 * measures memory, not the deadline; Netty and Jetty's peers have none or a longer one, and the
 * JDK's is raised the same way. /file/NAME is served by Weft's StaticFiles, with sendfile.
 */
public final class WeftServer implements Peer {
    private static final Response HELLO_RESPONSE =
            new Response(Status.OK, Headers.of("content-type", "text/plain"), ByteBuffer.wrap(HELLO));

    /** The WebSocket echo: every message written back; stateless, so one handler serves every socket. */
    private static final dev.weft.websocket.WebSocketHandler ECHO = new dev.weft.websocket.WebSocketHandler() {
        @Override public void onText(dev.weft.websocket.WebSocket ws, String text) { ws.sendText(text); }
        @Override public void onBinary(dev.weft.websocket.WebSocket ws, ByteBuffer bytes) { ws.sendBinary(bytes); }
    };

    private final Server server;
    private final String name;

    private WeftServer(Server server, String name) {
        this.server = server;
        this.name = name;
    }

    static WeftServer start(InetSocketAddress address, Path files, dev.weft.loop.spi.Transport transport) throws IOException {
        Handler.Async plaintext = (request, exchange) -> exchange.reply(HELLO_RESPONSE);
        Handler.Async echo = (request, exchange) -> exchange.reply(
                new Response(Status.OK, Headers.of("content-type", "application/octet-stream"), request.body()));
        var server = Server.builder()
                .host(address.getHostString())
                .port(address.getPort())
                .loops(Runtime.getRuntime().availableProcessors())
                .transport(transport)
                .backlog(8192)
                .timeouts(ServerTimeouts.DEFAULTS.withKeepAliveIdle(Duration.ofHours(1)))
                .get("/plaintext", plaintext)
                .post("/echo", Handler.buffered(echo))
                .get("/ws", dev.weft.server.websocket.WebSockets.route(request -> ECHO))
                .get("/file/{name...}", fileHandler(files))
                .start();
        return new WeftServer(server, transport.name().equals("nio") ? "weft-nio" : "weft");
    }

    /**
     * Weft's static files, as plain as nginx's location: no listing, no precompressed siblings.
     * {@code -Dweft.bench.inMemoryBelow=N} moves the size up to which a file is read and sent
     * with its head instead of with sendfile, to measure both against nginx.
     */
    private static dev.weft.server.files.StaticFiles fileHandler(Path files) throws IOException {
        var b = dev.weft.server.files.StaticFiles.at(files).prefix("/file/").precompressed(false);
        Long inMemory = Long.getLong("weft.bench.inMemoryBelow");
        if (inMemory != null) b.inMemoryBelow(inMemory);
        return b.build();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public void close() {
        server.stop(Duration.ofSeconds(2));
    }
}
