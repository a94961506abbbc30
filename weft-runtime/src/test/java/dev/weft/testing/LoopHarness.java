package dev.weft.testing;

import dev.weft.loop.EventLoop;
import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running {@link EventLoopGroup} on a {@link ManualTicker}, for tests that need real loops but
 * control time: run code on a loop and wait for it, and move the clock so that due timers fire
 * now instead of after a sleep.
 * <pre>{@code
 * try (var harness = LoopHarness.start(1)) {
 *     harness.run(loop -> loop.schedule(30, SECONDS, fired::countDown));
 *     harness.advance(Duration.ofSeconds(30));   // the timer has run when this returns
 * }
 * }</pre>
 */
public final class LoopHarness implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** Code to run on a loop. */
    @FunctionalInterface
    public interface LoopTask<T> {
        T call(EventLoop loop) throws Exception;
    }

    @FunctionalInterface
    public interface LoopAction {
        void run(EventLoop loop) throws Exception;
    }

    private final ManualTicker ticker;
    private final EventLoopGroup group;

    private LoopHarness(ManualTicker ticker, EventLoopGroup group) {
        this.ticker = ticker;
        this.group = group;
    }

    public static LoopHarness start(int loops) { return start(LoopConfig.defaults().withLoops(loops)); }

    /** Starts {@code config} with a fresh manual ticker in place of its own. */
    public static LoopHarness start(LoopConfig config) {
        var ticker = new ManualTicker();
        return new LoopHarness(ticker, EventLoopGroup.start(config.withTicker(ticker)));
    }

    public ManualTicker ticker() { return ticker; }

    public EventLoopGroup group() { return group; }

    /** Loop 0. */
    public EventLoop loop() { return group.loops().getFirst(); }

    /** Runs {@code task} on {@code loop} and returns its result; rethrows what it threw. */
    public <T> T call(EventLoop loop, LoopTask<T> task) { return callOn(loop, task); }

    /**
     * Runs {@code task} on {@code loop}, waits (bounded) and returns its result; rethrows what it
     * threw. Also a barrier: the loop runs one thing at a time, so what was queued before has run.
     */
    public static <T> T callOn(EventLoop loop, LoopTask<T> task) { return await(submit(loop, task)); }

    public <T> T call(LoopTask<T> task) { return call(loop(), task); }

    public void run(EventLoop loop, LoopAction action) {
        call(loop, l -> {
            action.run(l);
            return null;
        });
    }

    public void run(LoopAction action) { run(loop(), action); }

    /** Moves the clock, then runs every loop's due timers; they have all run when this returns. */
    public void advance(Duration d) {
        ticker.advance(d);
        for (var loop : group.loops()) call(loop, EventLoop::runPendingTimers);
    }

    @Override
    public void close() { group.shutdown(WAIT); }

    /** Waits (bounded) for {@code future}; a failure inside is rethrown as it was. */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case RuntimeException r -> throw r;
                case Error err -> throw err;
                default -> throw new IllegalStateException(e.getCause());
            }
        } catch (TimeoutException e) {
            throw new AssertionError("loop task did not finish within " + WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static <T> CompletableFuture<T> submit(EventLoop loop, LoopTask<T> task) {
        var future = new CompletableFuture<T>();
        loop.execute(() -> {
            try {
                future.complete(task.call(loop));
            } catch (Throwable e) {
                future.completeExceptionally(e);
            }
        });
        return future;
    }
}
