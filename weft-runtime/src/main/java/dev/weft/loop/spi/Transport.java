package dev.weft.loop.spi;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A family of pollers and TCP sockets that belong together: {@link dev.weft.loop.nio.NioTransport}
 * (java.nio, every platform) or {@link dev.weft.loop.epoll.EpollTransport} (Linux epoll through
 * java.lang.foreign). An {@link dev.weft.loop.EventLoopGroup} runs one transport; every socket it
 * watches comes from that transport, since a poller can only watch its own kind of socket.
 *
 * <p>Threads: every method may be called from any thread.
 */
public interface Transport {
    /** "nio" or "epoll": what {@code -Dweft.transport} names. */
    String name();

    /** A new poller for one loop. */
    Poller openPoller() throws IOException;

    /** Whether several sockets may listen on one port, the kernel spreading connections (SO_REUSEPORT). */
    boolean supportsReusePort();

    /**
     * A non-blocking socket bound to {@code address} and listening. {@code reusePort} sets
     * SO_REUSEPORT (only if {@link #supportsReusePort()}); SO_REUSEADDR is always set, so a
     * restart binds through TIME_WAIT.
     * @throws java.net.BindException if the address cannot be bound, with the kernel's reason
     */
    ListenSocket listen(InetSocketAddress address, int backlog, boolean reusePort) throws IOException;

    /**
     * A non-blocking socket with a connect to {@code remote} under way: watch it for
     * {@link java.nio.channels.SelectionKey#OP_CONNECT}, then call {@link StreamSocket#finishConnect()}.
     */
    StreamSocket connect(InetSocketAddress remote) throws IOException;
}
