package dev.weft.client;

import dev.weft.loop.EventLoop;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.Connector;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http1.DateCache;
import dev.weft.protocol.http1.Http1Writer;

import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One client connection outside any pool, for tools that drive connections themselves (a load
 * generator): requests given as ready-made bytes, pipelined as deep as the caller likes (up to
 * 64), responses parsed and checked as strictly as {@link HttpClient}'s, each to its own
 * {@link ResponseReader}, with the same deadlines. Everything but {@link #open} runs on the
 * connection's loop.
 */
public final class RawConnection {
    private final ClientConnection connection;
    private final ClientTimeouts timeouts;

    private RawConnection(ClientConnection connection, ClientTimeouts timeouts) {
        this.connection = connection;
        this.timeouts = timeouts;
    }

    /** Connects to {@code uri}'s origin on {@code loop}; completes on the loop. */
    public static CompletableFuture<RawConnection> open(EventLoop loop, URI uri, ClientTimeouts timeouts) {
        Origin origin = Origin.of(uri);
        var closed = new CompletableFuture<Void>();
        var c = new ClientConnection(new ClientConnection.Owner() {
            @Override public void idle(ClientConnection ignored) { }
            @Override public void closed(ClientConnection ignored) { closed.complete(null); }
        }, new Http1Writer(new DateCache(System.currentTimeMillis())), Long.MAX_VALUE);
        return Connector.connect(loop, origin.address(), timeouts.connect(), ConnectionOptions.defaults(), c)
                .thenApply(_ -> new RawConnection(c, timeouts));
    }

    /**
     * Sends {@code request}, the whole message as it goes on the wire (head, and body if any), for
     * a request of {@code method}; {@code reader} gets its response. Loop thread only.
     */
    public void send(Method method, ByteBuffer request, ResponseReader reader) {
        connection.sendRaw(new ClientExchange(STANDS_IN, reader, timeouts), method, request);
    }

    /** The exchange reads only the deadline from its request; the bytes sent are the caller's. */
    private static final ClientRequest STANDS_IN = ClientRequest.get("http://raw/");

    public EventLoop loop() { return connection.loop(); }

    public boolean isOpen() { return connection.isOpen(); }

    public int inFlight() { return connection.inFlight(); }

    public void close() { connection.close(); }
}
