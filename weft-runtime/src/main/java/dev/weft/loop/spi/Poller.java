package dev.weft.loop.spi;

import java.nio.channels.SelectableChannel;

/**
 * The I/O multiplexer under one event loop (ARCHITECTURE.md convention 9, Netty 4.2's {@code IoHandler} split):
 * the loop knows this interface only, never the kernel API, so an FFM epoll or io_uring poller
 * can replace {@link dev.weft.loop.nio.NioPoller} without touching the loop.
 *
 * <p>Threads: every method except {@link #wakeup()} is called by the owning loop thread only.
 *
 * <p>Contract (checked for every implementation by the {@code PollerContract} test suite):
 * <ol>
 *   <li>{@link #register} puts a non-blocking channel under watch for {@code interestOps}
 *       ({@link java.nio.channels.SelectionKey} constants) and returns its {@link Registration}.
 *   <li>{@link #poll} waits up to {@code timeoutNanos} (0 = do not block, {@link Long#MAX_VALUE}
 *       = until something happens), then calls {@link Readiness#onReady} of every ready
 *       registration, on the calling thread, making no garbage per event. Readiness is level
 *       triggered: a handler that leaves data unread is called again by the next poll.
 *   <li>{@link #wakeup()} makes a blocked poll return at once, or the next poll if none is blocked.
 *   <li>A handler that throws is deregistered (its channel stays open: it belongs to its owner)
 *       and the exception is logged at WARNING; other handlers still run.
 *   <li>{@link #close()} closes every channel still registered, except that a handler which is
 *       {@link AutoCloseable} is closed instead, so it can run its own close path (a connection
 *       calls its {@code onClose}); then the poller itself is released.
 * </ol>
 */
public interface Poller extends AutoCloseable {
    /** Loop thread only. */
    Registration register(SelectableChannel channel, int interestOps, Readiness handler);

    /**
     * Loop thread only: puts a raw file descriptor (a pipe, an eventfd, a timerfd, a driver's
     * socket) under watch, level-triggered like channels. Only native pollers can; the
     * descriptor stays the caller's, except that {@link #close()} closes it as it does channels.
     * @throws UnsupportedOperationException on a poller that cannot watch descriptors (java.nio)
     */
    default Registration register(int fd, int interestOps, Readiness handler) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot watch a raw file descriptor");
    }

    /** Loop thread only; see the contract above for the timeout's meaning. */
    void poll(long timeoutNanos);

    /** Any thread. */
    void wakeup();

    /** Loop thread only; see the contract above. */
    @Override
    void close();
}
