package dev.weft.testing;

import dev.weft.loop.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A {@link Ticker} whose time moves only when a test says so (ARCHITECTURE.md convention 12). Thread-safe. */
public final class ManualTicker implements Ticker {
    private final AtomicLong now = new AtomicLong();

    @Override
    public long nanoTime() { return now.get(); }

    public void advance(Duration d) {
        if (d.isNegative()) throw new IllegalArgumentException("time runs forward only: " + d);
        now.addAndGet(d.toNanos());
    }

    public void advanceNanos(long nanos) { advance(Duration.ofNanos(nanos)); }
}
