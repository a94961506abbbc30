package dev.weft.loop.spi;

import dev.weft.loop.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A non-blocking listening TCP socket of one {@link Transport}. Loop thread only once registered. */
public interface ListenSocket {
    /** Watches this socket on {@code loop}'s poller, for {@link java.nio.channels.SelectionKey#OP_ACCEPT}. */
    Registration register(EventLoop loop, int interestOps, Readiness handler);

    /** The next connection waiting, or null if none is. Out of descriptors: an IOException saying "Too many open files". */
    StreamSocket accept() throws IOException;

    /** Any thread: the bound address, with the actual port when bound to 0. */
    InetSocketAddress localAddress();

    /** Any thread: false once closed. */
    boolean isOpen();

    /**
     * Any thread: true while the port may still be held after {@link #close()} (java.nio frees it
     * only once its selector has dropped the key, at the next poll).
     */
    boolean isReleasePending();

    /** Idempotent; never throws. */
    void close();
}
