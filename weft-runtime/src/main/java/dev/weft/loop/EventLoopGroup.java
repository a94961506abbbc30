package dev.weft.loop;

import dev.weft.internal.Log;
import dev.weft.loop.spi.Poller;
import dev.weft.loop.spi.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * N event loops, each on its own platform thread named {@code weft-loop-i}. Connections are
 * spread over them with {@link #next()}; each then stays on its loop for life (ARCHITECTURE.md rule 1).
 * The threads are not daemons: a server keeps the JVM alive until {@link #shutdown} or
 * {@link #close}.
 */
public final class EventLoopGroup implements AutoCloseable {
    private static final Log LOG = Log.of(EventLoopGroup.class);

    /** Opens the poller of loop {@code index}; tests wrap it to count wakeups. */
    @FunctionalInterface
    interface PollerFactory {
        Poller open(int index) throws IOException;
    }

    private final List<EventLoop> loops;
    private final Transport transport;
    private final AtomicInteger next = new AtomicInteger();

    private EventLoopGroup(LoopConfig config, PollerFactory pollers) {
        transport = config.transport();
        var list = new ArrayList<EventLoop>(config.loops());
        try {
            for (int i = 0; i < config.loops(); i++) list.add(new EventLoop(this, i, config, pollers.open(i)));
        } catch (IOException e) {
            for (var loop : list) loop.discard();
            throw new UncheckedIOException("cannot open a poller", e);
        }
        loops = List.copyOf(list);
    }

    /** Starts {@code config.loops()} loop threads, each polling with {@code config.transport()}. */
    public static EventLoopGroup start(LoopConfig config) { return start(config, _ -> config.transport().openPoller()); }

    static EventLoopGroup start(LoopConfig config, PollerFactory pollers) {
        var group = new EventLoopGroup(config, pollers);
        for (var loop : group.loops) loop.start();
        return group;
    }

    /** Any thread: the transport every loop of this group polls with, and whose sockets they take. */
    public Transport transport() { return transport; }

    /** Any thread: the loops in turn. */
    public EventLoop next() { return loops.get(Math.floorMod(next.getAndIncrement(), loops.size())); }

    /** Any thread: every loop, by index. */
    public List<EventLoop> loops() { return loops; }

    /**
     * Any thread. Stops every loop: new tasks from other threads are rejected, queued tasks run,
     * each loop's registered channels are closed (connections get their close callbacks), then
     * the threads end. Waits up to {@code deadline} for them; from a loop thread, it cannot wait
     * for its own loop, which ends once the calling task returns.
     */
    public void shutdown(Duration deadline) {
        for (var loop : loops) loop.shutdown();
        long end = System.nanoTime() + deadline.toNanos();
        for (var loop : loops) {
            if (loop.inLoop()) continue;
            try {
                if (!loop.awaitTermination(Math.max(0, end - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    LOG.warn(loop + " did not end within " + deadline);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** {@code shutdown(5 s)}. */
    @Override
    public void close() { shutdown(Duration.ofSeconds(5)); }
}
