package dev.weft.loop.nio;

import dev.weft.internal.Log;
import dev.weft.loop.spi.Poller;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/**
 * A {@link Poller} over a {@link java.nio.channels.Selector} (epoll on Linux, kqueue on macOS).
 *
 * <p>Ready keys are handed out with {@link Selector#select(Consumer, long)}, which calls one
 * preallocated consumer per ready key instead of filling the selected-key set: no iterator and
 * no set churn, so the hot path makes no garbage per event. Each key's attachment is its
 * {@link NioRegistration}, which holds the handler.
 */
public final class NioPoller implements Poller {
    private static final Log LOG = Log.of(NioPoller.class);
    private static final long NANOS_PER_MILLI = 1_000_000L;

    private final Selector selector;
    private final Consumer<SelectionKey> dispatch = this::dispatch;   // allocated once

    private NioPoller(Selector selector) { this.selector = selector; }

    public static NioPoller open() throws IOException { return new NioPoller(Selector.open()); }

    @Override
    public Registration register(SelectableChannel channel, int interestOps, Readiness handler) {
        try {
            var key = channel.register(selector, interestOps);
            var registration = new NioRegistration(key, handler);
            key.attach(registration);
            return registration;
        } catch (ClosedChannelException e) {
            throw new UncheckedIOException("channel closed before it was registered", e);
        }
    }

    @Override
    public void poll(long timeoutNanos) {
        if (timeoutNanos < 0) throw new IllegalArgumentException("timeoutNanos < 0: " + timeoutNanos);
        try {
            if (timeoutNanos == 0) {
                selector.selectNow(dispatch);
            } else if (timeoutNanos == Long.MAX_VALUE) {
                selector.select(dispatch);                 // 0 would also mean "forever" below
            } else {
                // Rounded up: a deadline must never be reported early (a timer wheel's contract).
                selector.select(dispatch, Math.ceilDiv(timeoutNanos, NANOS_PER_MILLI));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("selector failed", e);
        }
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) return;      // cancelled by an earlier handler in this same round
        var registration = (NioRegistration) key.attachment();
        try {
            registration.handler.onReady(key.readyOps());
        } catch (Throwable e) {
            // Caught here, not by the loop: an exception out of the consumer would end the whole
            // select batch and leave the other ready keys unserved. A handler that cannot take its
            // readiness can never make progress, so its channel is closed, not just deregistered
            // (a deregistered channel would hold its descriptor for ever).
            LOG.warn("readiness handler threw; channel closed: " + key.channel(), e);
            key.cancel();
            closeQuietly(registration);
        }
    }

    private static void closeQuietly(NioRegistration registration) {
        try {
            if (registration.handler instanceof AutoCloseable closeable) closeable.close();
            else registration.key.channel().close();
        } catch (Throwable e) {
            LOG.debug("closing a failed channel failed", e);
        }
    }

    @Override
    public void wakeup() { selector.wakeup(); }

    @Override
    public void close() {
        if (!selector.isOpen()) return;
        // Copied: a closing handler cancels its key, and the key set must not change under us.
        for (var key : selector.keys().toArray(SelectionKey[]::new)) {
            var registration = (NioRegistration) key.attachment();
            if (registration != null) {
                closeQuietly(registration);
                continue;
            }
            try {
                key.channel().close();
            } catch (IOException e) {
                LOG.debug("closing a channel at poller close failed", e);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            LOG.debug("selector close failed", e);
        }
    }

    /** The key plus its handler; attached to the key so dispatch needs no map lookup. */
    private static final class NioRegistration implements Registration {
        private final SelectionKey key;
        private final Readiness handler;

        NioRegistration(SelectionKey key, Readiness handler) {
            this.key = key;
            this.handler = handler;
        }

        @Override public void interestOps(int ops) { if (key.isValid()) key.interestOps(ops); }
        @Override public int interestOps() { return key.isValid() ? key.interestOps() : 0; }
        @Override public void cancel() { key.cancel(); }
        @Override public boolean isValid() { return key.isValid(); }
    }
}
