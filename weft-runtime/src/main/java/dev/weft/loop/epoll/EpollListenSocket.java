package dev.weft.loop.epoll;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.weft.loop.EventLoop;
import dev.weft.loop.spi.ListenSocket;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import dev.weft.loop.spi.StreamSocket;
import java.io.IOException;
import java.net.InetSocketAddress;

/** A listening socket of the epoll transport; accepts with accept4 (non-blocking, close-on-exec in one call). */
final class EpollListenSocket extends EpollRegistration implements ListenSocket {
    private final InetSocketAddress localAddress;
    private volatile boolean closed;

    EpollListenSocket(int fd, InetSocketAddress localAddress) {
        super(fd);
        this.localAddress = localAddress;
    }

    @Override
    public Registration register(EventLoop loop, int interestOps, Readiness handler) {
        if (!(loop.poller() instanceof EpollPoller epoll)) {
            throw new IllegalStateException("an epoll socket cannot join " + loop + ", which polls with " + loop.transport().name());
        }
        epoll.registerSocket(this, interestOps, handler);
        return this;
    }

    @Override
    public StreamSocket accept() throws IOException {
        var scratch = poller.scratch;
        for (;;) {
            scratch.socklen.set(JAVA_INT, 0, LibC.SOCKADDR_MAX);
            int fd = LibC.accept4(scratch.errno, this.fd, scratch.sockaddr.address(), scratch.socklen.address());
            if (fd >= 0) return new EpollStreamSocket(fd, SocketAddresses.raw(scratch.sockaddr));
            int errno = scratch.errnoValue();
            if (errno == LibC.EAGAIN) {
                consumed(READABLE);
                return null;
            }
            // A connection reset while it waited in the backlog is gone; the next may be fine.
            // A loop, not a call: a burst of such connections must not deepen the stack.
            if (errno != LibC.ECONNABORTED && errno != LibC.EPROTO && errno != LibC.EINTR) {
                throw Errors.io("accept", errno);
            }
        }
    }

    @Override public InetSocketAddress localAddress() { return localAddress; }

    @Override public boolean isOpen() { return !closed; }

    @Override public boolean isReleasePending() { return false; }   // close(2) frees the port at once

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        if (poller != null && isValid()) dropForClose();
        LibC.closeQuietly(fd);
    }

    @Override public String toString() { return "epoll listen " + localAddress; }
}
