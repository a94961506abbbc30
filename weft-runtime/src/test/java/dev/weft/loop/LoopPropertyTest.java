package dev.weft.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Random scripts against simple models: the wheel against deadlines, the queue against a deque. */
class LoopPropertyTest {
    private static final long TICK = TimeUnit.MILLISECONDS.toNanos(10);

    /**
     * Each int is one step: arm timer i with a delay, cancel it, or advance the clock and expire.
     * Whatever the script: no timer fires early, none is still pending a whole tick after its
     * deadline, a cancelled arming never fires, size() counts exactly the pending ones, and the loop is
     * never told to sleep past the first due tick.
     */
    @Property(tries = 300)
    void theWheelFiresEveryTimerWithinOneTickAfterItsDeadlineAndNeverEarly(
            @ForAll @Size(max = 300) List<@IntRange(min = 0, max = Integer.MAX_VALUE) Integer> script,
            @ForAll @IntRange(min = 1, max = 4) int log2Slots) {
        var ticker = new ManualTicker();
        var wheel = new TimerWheel(ticker, Duration.ofNanos(TICK), 1 << log2Slots, () -> true);
        int n = 16;
        long[] deadline = new long[n];                 // of the pending arming, or -1
        long[] dueTick = new long[n];                  // the tick it is filed under
        long nextTick = 0;                             // the wheel's next unprocessed tick
        java.util.Arrays.fill(deadline, -1);
        var timers = new Timer[n];
        for (int i = 0; i < n; i++) {
            int id = i;
            timers[i] = wheel.newTimer(() -> {
                assertTrue(deadline[id] >= 0, "fired without a pending arming");
                assertTrue(ticker.nanoTime() >= deadline[id], "early");
                deadline[id] = -1;
            });
        }
        for (int step : script) {
            int id = (step >>> 2) % n;
            long amount = (step >>> 6) % 700;         // ms: up to several turns of a small wheel
            switch (step & 3) {
                case 0, 1 -> {
                    timers[id].schedule(amount, TimeUnit.MILLISECONDS);
                    deadline[id] = ticker.nanoTime() + TimeUnit.MILLISECONDS.toNanos(amount);
                    dueTick[id] = Math.max(Math.ceilDiv(deadline[id], TICK), nextTick);
                }
                case 2 -> {
                    assertEquals(deadline[id] >= 0, timers[id].cancel());
                    deadline[id] = -1;
                }
                default -> {
                    ticker.advance(Duration.ofMillis(amount / 7));
                    wheel.expire(ticker.nanoTime());
                    nextTick = Math.max(nextTick, Math.floorDiv(ticker.nanoTime(), TICK) + 1);
                    for (int i = 0; i < n; i++) {
                        assertTrue(deadline[i] < 0 || deadline[i] + TICK > ticker.nanoTime(), "late by a tick");
                    }
                }
            }
            int pending = 0;
            long wakeBy = Long.MAX_VALUE;              // the loop must be awake by the first due tick
            for (int i = 0; i < n; i++) {
                if (deadline[i] >= 0) {
                    pending++;
                    wakeBy = Math.min(wakeBy, dueTick[i] * TICK);
                }
                assertEquals(deadline[i] >= 0, timers[i].isPending());
            }
            assertEquals(pending, wheel.size());
            long sleep = wheel.nanosToNextDeadline(ticker.nanoTime());
            if (pending == 0) assertEquals(Long.MAX_VALUE, sleep);
            else assertTrue(ticker.nanoTime() + sleep <= Math.max(wakeBy, ticker.nanoTime()), "oversleeps");
        }
    }

    /** Single-threaded, the queue is a bounded FIFO: same answers as an ArrayDeque with a cap. */
    @Property(tries = 300)
    void theQueueBehavesLikeABoundedDeque(
            @ForAll @Size(max = 500) List<@IntRange(min = 0, max = 99) Integer> script,
            @ForAll @IntRange(min = 2, max = 40) int capacity) {
        var queue = new MpscQueue<Integer>(capacity);
        var model = new ArrayDeque<Integer>();
        int cap = queue.capacity();
        for (int step : script) {
            if (step < 60) {
                boolean accepted = queue.offer(step);
                assertEquals(model.size() < cap, accepted);
                if (accepted) model.addLast(step);
            } else {
                assertEquals(model.pollFirst(), queue.poll());
            }
            assertEquals(model.size(), queue.size());
            assertEquals(model.isEmpty(), queue.isEmpty());
        }
        while (!model.isEmpty()) assertEquals(model.pollFirst(), queue.poll());
        assertFalse(queue.poll() != null);
    }
}
