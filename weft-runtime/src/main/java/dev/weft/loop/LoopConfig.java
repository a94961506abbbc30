package dev.weft.loop;

import dev.weft.loop.spi.Transport;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings for an {@link EventLoopGroup}.
 *
 * <table>
 *   <caption>Defaults and where they come from</caption>
 *   <tr><th>field</th><th>default</th><th>why</th></tr>
 *   <tr><td>loops</td><td>available processors</td><td>one loop per core, as Netty and Vert.x do</td></tr>
 *   <tr><td>inboxCapacity</td><td>65,536 tasks</td><td>ARCHITECTURE.md rule 4: bounded; large enough that
 *       a burst of replies from worker threads does not hit it (rounded up to a power of two)</td></tr>
 *   <tr><td>readBufferSize</td><td>16 KiB</td><td>the largest TLS record (RFC 8446 §5.1); a typical
 *       request head fits in one read</td></tr>
 *   <tr><td>maxPooledBuffers</td><td>256 per loop</td><td>4 MiB of direct memory kept warm per
 *       loop; more are allocated on demand and dropped when returned</td></tr>
 *   <tr><td>timerTick</td><td>10 ms</td><td>deadlines here are seconds long (ARCHITECTURE.md's limits table), so
 *       10 ms of lateness is noise; 512 slots then turn the wheel every 5.12 s</td></tr>
 *   <tr><td>ticker</td><td>{@link Ticker#SYSTEM}</td><td>tests inject a manual one</td></tr>
 *   <tr><td>transport</td><td>{@link Transports#preferred()}</td><td>epoll on Linux when Weft may make
 *       native calls, else java.nio; {@code -Dweft.transport=nio|epoll} decides otherwise</td></tr>
 * </table>
 */
public record LoopConfig(int loops, int inboxCapacity, int readBufferSize, int maxPooledBuffers,
                         Duration timerTick, Ticker ticker, Transport transport) {

    public LoopConfig {
        if (loops < 1) throw new IllegalArgumentException("loops < 1: " + loops);
        if (inboxCapacity < 2 || inboxCapacity > 1 << 30) {
            throw new IllegalArgumentException("inboxCapacity outside 2..2^30: " + inboxCapacity);
        }
        if (readBufferSize < 64) throw new IllegalArgumentException("readBufferSize < 64: " + readBufferSize);
        if (maxPooledBuffers < 0) throw new IllegalArgumentException("maxPooledBuffers < 0: " + maxPooledBuffers);
        Objects.requireNonNull(timerTick, "timerTick");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(transport, "transport");
        // The poller waits in whole milliseconds; a finer tick would only spin.
        if (timerTick.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("timerTick < 1 ms: " + timerTick);
        }
    }

    public static LoopConfig defaults() {
        return new LoopConfig(Runtime.getRuntime().availableProcessors(), 65_536, 16 << 10, 256,
                Duration.ofMillis(10), Ticker.SYSTEM, Transports.preferred());
    }

    public LoopConfig withLoops(int n) {
        return new LoopConfig(n, inboxCapacity, readBufferSize, maxPooledBuffers, timerTick, ticker, transport);
    }

    public LoopConfig withInboxCapacity(int n) {
        return new LoopConfig(loops, n, readBufferSize, maxPooledBuffers, timerTick, ticker, transport);
    }

    public LoopConfig withReadBufferSize(int n) {
        return new LoopConfig(loops, inboxCapacity, n, maxPooledBuffers, timerTick, ticker, transport);
    }

    public LoopConfig withMaxPooledBuffers(int n) {
        return new LoopConfig(loops, inboxCapacity, readBufferSize, n, timerTick, ticker, transport);
    }

    public LoopConfig withTimerTick(Duration d) {
        return new LoopConfig(loops, inboxCapacity, readBufferSize, maxPooledBuffers, d, ticker, transport);
    }

    public LoopConfig withTransport(Transport t) {
        return new LoopConfig(loops, inboxCapacity, readBufferSize, maxPooledBuffers, timerTick, ticker, t);
    }

    public LoopConfig withTicker(Ticker t) {
        return new LoopConfig(loops, inboxCapacity, readBufferSize, maxPooledBuffers, timerTick, t, transport);
    }
}
