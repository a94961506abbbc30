package dev.weft.loop;

import dev.weft.loop.spi.Poller;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps a poller and counts {@link #wakeup()} calls and shows when the loop sleeps: the test hook for "few wakeups". */
final class CountingPoller implements Poller {
    private final Poller delegate;
    final AtomicInteger wakeups = new AtomicInteger();
    final AtomicInteger polls = new AtomicInteger();
    volatile boolean blocking;                             // inside a poll that may block

    CountingPoller(Poller delegate) { this.delegate = delegate; }

    @Override
    public Registration register(SelectableChannel channel, int interestOps, Readiness handler) {
        return delegate.register(channel, interestOps, handler);
    }

    @Override
    public void poll(long timeoutNanos) {
        polls.incrementAndGet();
        blocking = timeoutNanos > 0;
        try {
            delegate.poll(timeoutNanos);
        } finally {
            blocking = false;
        }
    }

    @Override
    public void wakeup() {
        wakeups.incrementAndGet();
        delegate.wakeup();
    }

    @Override
    public void close() { delegate.close(); }
}
