package dev.weft.loop;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.loop.nio.NioPoller;
import dev.weft.loop.spi.Readiness;
import dev.weft.testing.LogCapture;
import dev.weft.testing.LoopHarness;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class EventLoopTest {
    private final List<CountingPoller> pollers = Collections.synchronizedList(new ArrayList<>());
    private EventLoopGroup group;

    private EventLoop start(LoopConfig config) {
        group = EventLoopGroup.start(config, _ -> {
            var poller = new CountingPoller(NioPoller.open());
            pollers.add(poller);
            return poller;
        });
        return group.loops().getFirst();
    }

    @AfterEach
    void stop() {
        if (group != null) group.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void tasksFromOtherThreadsRunOnTheLoopInOrder() throws Exception {
        var loop = start(LoopConfig.defaults().withLoops(1));
        var seen = Collections.synchronizedList(new ArrayList<Integer>());
        var onLoop = new AtomicBoolean(true);
        for (int i = 0; i < 1000; i++) {
            int n = i;
            loop.execute(() -> {
                onLoop.compareAndSet(true, loop.inLoop() && Thread.currentThread().getName().equals("weft-loop-0"));
                seen.add(n);
            });
        }
        awaitOnLoop(loop);
        assertTrue(onLoop.get(), "every task ran on the loop thread");
        assertEquals(1000, seen.size());
        for (int i = 0; i < 1000; i++) assertEquals(i, seen.get(i));
        assertFalse(loop.inLoop());
        assertTrue(loop.counters().tasksRun() >= 1000);
    }

    /** While the loop is busy (awake), a burst of executes costs no wakeup at all. */
    @Test
    void executesWhileTheLoopIsAwakeCauseFewWakeups() throws Exception {
        var loop = start(LoopConfig.defaults().withLoops(1));
        var poller = pollers.getFirst();
        var release = hold(loop);
        int before = poller.wakeups.get();
        var ran = new AtomicInteger();
        for (int i = 0; i < 10_000; i++) loop.execute(ran::incrementAndGet);
        int duringBurst = poller.wakeups.get() - before;
        release.countDown();
        awaitOnLoop(loop);
        assertEquals(10_000, ran.get());
        assertEquals(0, duringBurst, "the loop was awake: no wakeup needed");
        assertTrue(poller.wakeups.get() - before <= 2, "wakeups: " + (poller.wakeups.get() - before));
    }

    /**
     * A batch from several threads into a sleeping loop costs exactly one wakeup: the first
     * producer's CAS wins, and the flag stays set until the loop next goes to sleep, which it
     * cannot do while the first task holds it.
     */
    @Test
    void aBatchIntoASleepingLoopWakesItOnce() throws Exception {
        var loop = start(LoopConfig.defaults().withLoops(1));
        var poller = pollers.getFirst();
        awaitOnLoop(loop);
        long giveUp = System.nanoTime() + SECONDS.toNanos(10);
        while (!poller.blocking && System.nanoTime() < giveUp) Thread.onSpinWait();
        assertTrue(poller.blocking, "the idle loop sleeps in its poller");
        int before = poller.wakeups.get();
        var release = new CountDownLatch(1);
        loop.execute(() -> awaitQuietly(release));
        var done = new CountDownLatch(4 * 250);
        var producers = new ArrayList<Thread>();
        for (int p = 0; p < 4; p++) {
            producers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 250; i++) loop.execute(done::countDown);
            }));
        }
        for (var t : producers) t.join();
        assertEquals(1, poller.wakeups.get() - before, "one wakeup for the whole batch");
        release.countDown();
        assertTrue(done.await(10, SECONDS));
    }

    /** An interrupted loop thread must not spin: select returns at once while the flag is set. */
    @Test
    void anInterruptOnTheLoopThreadIsClearedNotSpunOn() throws Exception {
        var loop = start(LoopConfig.defaults().withLoops(1));
        var poller = pollers.getFirst();
        loop.execute(() -> Thread.currentThread().interrupt());
        awaitOnLoop(loop);
        long giveUp = System.nanoTime() + SECONDS.toNanos(10);
        while (!poller.blocking && System.nanoTime() < giveUp) Thread.onSpinWait();
        int before = poller.polls.get();
        assertEquals(Boolean.FALSE, callOnLoop(loop, () -> Thread.currentThread().isInterrupted()));
        assertTrue(poller.polls.get() - before <= 3, (poller.polls.get() - before) + " polls for one task");
    }

    @Test
    void executeFromTheLoopItselfNeverWakesIt() throws Exception {
        var loop = start(LoopConfig.defaults().withLoops(1));
        var poller = pollers.getFirst();
        var pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        var ran = new AtomicInteger();
        var done = new CountDownLatch(1);
        // Readiness handlers run inside poll, while the loop counts as asleep: the inLoop check matters.
        Readiness handler = _ -> {
            drain(pipe.source());
            for (int i = 0; i < 100; i++) loop.execute(ran::incrementAndGet);
            loop.execute(done::countDown);
        };
        callOnLoop(loop, () -> loop.register(pipe.source(), SelectionKey.OP_READ, handler));
        int before = poller.wakeups.get();
        pipe.sink().write(ByteBuffer.wrap(new byte[] {1}));
        assertTrue(done.await(10, SECONDS));
        assertEquals(100, ran.get());
        assertEquals(0, poller.wakeups.get() - before);
        pipe.sink().close();
    }

    @Test
    void aFullInboxRejects() throws Exception {
        var loop = start(LoopConfig.defaults().withLoops(1).withInboxCapacity(16));
        var release = hold(loop);
        var ran = new CountDownLatch(16);
        for (int i = 0; i < 16; i++) loop.execute(ran::countDown);
        var e = assertThrows(RejectedExecutionException.class, () -> loop.execute(ran::countDown));
        assertTrue(e.getMessage().contains("inbox full"), e.getMessage());
        release.countDown();
        assertTrue(ran.await(10, SECONDS), "the 16 accepted tasks ran");
        awaitOnLoop(loop);                    // and the loop takes work again
    }

    @Test
    void shutdownRunsQueuedTasksClosesChannelsThenRejects() throws Exception {
        var loop = start(LoopConfig.defaults().withLoops(2));
        var pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        var closedHandler = new AtomicBoolean();
        class ClosingHandler implements Readiness, AutoCloseable {
            @Override public void onReady(int readyOps) { }
            @Override public void close() { closedHandler.set(true); }
        }
        var raw = Pipe.open();
        raw.source().configureBlocking(false);
        callOnLoop(loop, () -> {
            loop.register(pipe.source(), SelectionKey.OP_READ, new ClosingHandler());
            return loop.register(raw.source(), SelectionKey.OP_READ, _ -> { });
        });
        var queued = new AtomicInteger();
        var block = new CountDownLatch(1);
        loop.execute(() -> awaitQuietly(block));
        for (int i = 0; i < 10; i++) loop.execute(queued::incrementAndGet);
        var stopper = Thread.ofPlatform().start(() -> group.shutdown(Duration.ofSeconds(10)));
        while (!loop.isShutdown()) Thread.onSpinWait();
        assertThrows(RejectedExecutionException.class, () -> loop.execute(queued::incrementAndGet));
        block.countDown();
        stopper.join(10_000);
        assertTrue(loop.isTerminated());
        assertEquals(10, queued.get(), "tasks queued before shutdown ran");
        assertTrue(closedHandler.get(), "an AutoCloseable handler is closed");
        assertFalse(raw.source().isOpen(), "any other channel is closed");
        assertThrows(RejectedExecutionException.class, () -> loop.execute(() -> { }));
        for (var l : group.loops()) assertTrue(l.isTerminated());
    }

    @Test
    void registerPutsARawChannelOnTheLoop() throws Exception {
        var loop = start(LoopConfig.defaults().withLoops(1));
        var pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        var got = new CompletableFuture<String>();
        callOnLoop(loop, () -> loop.register(pipe.source(), SelectionKey.OP_READ, readyOps -> {
            assertTrue(loop.inLoop());
            var buffer = ByteBuffer.allocate(16);
            drainInto(pipe.source(), buffer);
            got.complete(readyOps + ":" + new String(buffer.array(), 0, buffer.position()));
        }));
        pipe.sink().write(ByteBuffer.wrap("hi".getBytes()));
        assertEquals(SelectionKey.OP_READ + ":hi", LoopHarness.await(got));
        pipe.sink().close();
    }

    @Test
    void registerOffTheLoopOrWithABlockingChannelIsRefused() throws Exception {
        var loop = start(LoopConfig.defaults().withLoops(1));
        var pipe = Pipe.open();
        pipe.source().configureBlocking(false);
        assertThrows(AssertionError.class, () -> loop.register(pipe.source(), SelectionKey.OP_READ, _ -> { }));
        var blocking = Pipe.open();
        var failure = new CompletableFuture<Throwable>();
        loop.execute(() -> {
            try {
                loop.register(blocking.source(), SelectionKey.OP_READ, _ -> { });
                failure.complete(null);
            } catch (IllegalArgumentException e) {
                failure.complete(e);
            }
        });
        assertTrue(LoopHarness.await(failure) instanceof IllegalArgumentException);
    }

    @Test
    void aThrowingTaskIsLoggedAndTheLoopCarriesOn() throws Exception {
        var loop = start(LoopConfig.defaults().withLoops(1));
        try (var log = LogCapture.start()) {
            loop.execute(() -> { throw new IllegalStateException("task bug"); });
            assertEquals("still running", callOnLoop(loop, () -> "still running"));
            assertEquals(1, log.warnings().size());
            assertTrue(log.errors().isEmpty());
        }
    }

    /** Timers on a real loop, with time moved by hand: no sleeping. */
    @Test
    void timersRunOnTheLoopWhenTheirTimeComes() {
        try (var harness = LoopHarness.start(1)) {
            var fired = new CopyOnWriteTimes();
            harness.run(loop -> {
                loop.schedule(30, SECONDS, () -> fired.add(loop.inLoop()));
                loop.schedule(60, SECONDS, () -> fired.add(loop.inLoop()));
            });
            harness.advance(Duration.ofSeconds(29));
            assertEquals(0, fired.size());
            harness.advance(Duration.ofSeconds(2));
            assertEquals(1, fired.size());
            harness.advance(Duration.ofSeconds(30));
            assertEquals(List.of(true, true), fired.list());
        }
    }

    @Test
    void ownerAssertionsGuardLoopOnlyState() {
        var loop = start(LoopConfig.defaults().withLoops(1));
        assertThrows(AssertionError.class, () -> loop.schedule(1, SECONDS, () -> { }));
        assertThrows(AssertionError.class, () -> loop.buffers().acquire());
        assertThrows(AssertionError.class, () -> loop.counters().addBytesRead(1));
        assertThrows(AssertionError.class, loop::runPendingTimers);
    }

    private static final class CopyOnWriteTimes {
        private final List<Boolean> list = Collections.synchronizedList(new ArrayList<>());
        void add(boolean b) { list.add(b); }
        int size() { return list.size(); }
        List<Boolean> list() { return List.copyOf(list); }
    }

    private static <T> T callOnLoop(EventLoop loop, java.util.concurrent.Callable<T> task) {
        return LoopHarness.callOn(loop, l -> task.call());
    }

    private static void awaitOnLoop(EventLoop loop) { callOnLoop(loop, () -> null); }

    /** Keeps {@code loop} busy in a task until the returned latch is released (10 s at most). */
    private static CountDownLatch hold(EventLoop loop) throws InterruptedException {
        var entered = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        loop.execute(() -> {
            entered.countDown();
            awaitQuietly(release);
        });
        assertTrue(entered.await(10, SECONDS), "the loop took the holding task");
        return release;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void drain(Pipe.SourceChannel source) { drainInto(source, ByteBuffer.allocate(64)); }

    private static void drainInto(Pipe.SourceChannel source, ByteBuffer buffer) {
        try {
            while (source.read(buffer) > 0 && buffer.hasRemaining()) { }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
