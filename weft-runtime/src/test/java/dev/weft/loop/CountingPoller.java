package dev.weft.loop;

import dev.weft.loop.spi.Poller;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import java.nio.channels.SelectableChannel;
import java.util.concurrent.atomic.AtomicInteger;

/** Wraps a poller and counts {@link #wakeup()} calls and blocking polls: the test hook for "few wakeups". */
final class CountingPoller implements Poller {
    private final Poller delegate;
    final AtomicInteger wakeups = new AtomicInteger();
    final AtomicInteger sleeps = new AtomicInteger();     // polls that were allowed to block

    CountingPoller(Poller delegate) { this.delegate = delegate; }

    @Override
    public Registration register(SelectableChannel channel, int interestOps, Readiness handler) {
        return delegate.register(channel, interestOps, handler);
    }

    @Override
    public void poll(long timeoutNanos) {
        if (timeoutNanos > 0) sleeps.incrementAndGet();
        delegate.poll(timeoutNanos);
    }

    @Override
    public void wakeup() {
        wakeups.incrementAndGet();
        delegate.wakeup();
    }

    @Override
    public void close() { delegate.close(); }
}
