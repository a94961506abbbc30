package dev.weft.net;

import dev.weft.internal.Log;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Timer;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import dev.weft.loop.spi.StreamSocket;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Opens outgoing connections on a loop without blocking it: a non-blocking connect, OP_CONNECT
 * watched with a deadline, then the channel is adopted as a {@link Connection} on the same loop.
 * The client's side of what {@link Listener} is to a server.
 */
public final class Connector {
    private static final Log LOG = Log.of(Connector.class);

    private Connector() {}

    /**
     * Connects to {@code address} on {@code loop} (any thread may call this); the future completes
     * on the loop with the open connection, or fails with {@link ConnectException} (refused,
     * unreachable) or {@link SocketTimeoutException} after {@code timeout}. The handler's
     * {@code onOpen} runs before the future completes.
     */
    public static CompletableFuture<Connection> connect(EventLoop loop, InetSocketAddress address, Duration timeout,
                                                        ConnectionOptions options, ConnectionHandler handler) {
        Objects.requireNonNull(address, "address");
        var result = new CompletableFuture<Connection>();
        Runnable start = () -> new Attempt(loop, address, options, handler, result).start(timeout);
        if (loop.inLoop()) start.run();
        else loop.execute(start);
        return result;
    }

    /** One connect in progress; its fields are the loop's. */
    private static final class Attempt implements Readiness, AutoCloseable {
        private final EventLoop loop;
        private final InetSocketAddress address;
        private final ConnectionOptions options;
        private final ConnectionHandler handler;
        private final CompletableFuture<Connection> result;
        private StreamSocket channel;
        private Registration registration;
        private Timer deadline;

        Attempt(EventLoop loop, InetSocketAddress address, ConnectionOptions options, ConnectionHandler handler,
                CompletableFuture<Connection> result) {
            this.loop = loop;
            this.address = address;
            this.options = options;
            this.handler = handler;
            this.result = result;
        }

        void start(Duration timeout) {
            try {
                if (address.isUnresolved()) throw new ConnectException("cannot resolve " + address.getHostString());
                channel = loop.transport().connect(address);
                if (channel.finishConnect()) {
                    adopt();
                    return;
                }
                registration = channel.register(loop, SelectionKey.OP_CONNECT, this);
                deadline = loop.schedule(timeout.toNanos(), TimeUnit.NANOSECONDS, () -> fail(
                        new SocketTimeoutException("connect to " + address + " timed out after " + timeout)));
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        @Override public void onReady(int readyOps) {
            try {
                if (!channel.finishConnect()) return;
                deadline.cancel();
                // The registration stays: registering the socket again on this loop, as Connection
                // does, returns the same one with the connection as its handler. Cancelling a
                // java.nio key here would make that register fail until the next select flushed it.
                registration.interestOps(0);
                adopt();
            } catch (IOException e) {
                fail(e);
            }
        }

        private void adopt() {
            try {
                result.complete(Connection.adopt(loop, channel, options, handler));
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        private void fail(Throwable e) {
            if (deadline != null) deadline.cancel();
            if (registration != null) registration.cancel();
            close();
            LOG.debug(() -> "connect to " + address + " failed: " + e);
            result.completeExceptionally(e instanceof ConnectException || e instanceof SocketTimeoutException ? e
                    : new ConnectException("connect to " + address + " failed: " + e.getMessage()));
        }

        @Override public void close() {
            if (channel != null) channel.close();
        }
    }
}
