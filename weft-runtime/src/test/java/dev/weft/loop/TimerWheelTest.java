package dev.weft.loop;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.testing.LogCapture;
import dev.weft.testing.ManualTicker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Time moves only through a {@link ManualTicker}: nothing here sleeps. */
class TimerWheelTest {
    private final ManualTicker ticker = new ManualTicker();
    private final List<String> fired = new ArrayList<>();

    private TimerWheel wheel(int slots) { return new TimerWheel(ticker, Duration.ofMillis(10), slots, () -> true); }

    private int advance(TimerWheel wheel, long millis) {
        ticker.advance(Duration.ofMillis(millis));
        return wheel.expire(ticker.nanoTime());
    }

    @Test
    void firesAtItsDeadlineAndNotBefore() {
        var wheel = wheel(512);
        var timer = wheel.newTimer(() -> fired.add("a"));
        timer.schedule(25, MILLISECONDS);
        assertEquals(0, advance(wheel, 24));
        assertTrue(timer.isPending());
        // Never early; at most one 10 ms tick late.
        long lateBy = 0;
        while (fired.isEmpty()) {
            advance(wheel, 1);
            lateBy++;
            assertTrue(lateBy <= 10, "more than one tick late");
        }
        assertEquals(List.of("a"), fired);
        assertFalse(timer.isPending());
    }

    @Test
    void zeroDelayFiresOnTheNextExpire() {
        var wheel = wheel(512);
        wheel.newTimer(() -> fired.add("now")).schedule(0, MILLISECONDS);
        assertEquals(1, wheel.expire(ticker.nanoTime()));
        assertEquals(List.of("now"), fired);
    }

    @Test
    void reArmingMovesTheDeadlineWithoutASecondRun() {
        var wheel = wheel(512);
        var timer = wheel.newTimer(() -> fired.add("t"));
        timer.schedule(50, MILLISECONDS);
        advance(wheel, 40);
        timer.schedule(50, MILLISECONDS);         // now due at 90 ms
        advance(wheel, 20);
        assertTrue(fired.isEmpty());
        advance(wheel, 40);
        assertEquals(List.of("t"), fired);
        timer.schedule(10, MILLISECONDS);         // re-armed after it ran
        advance(wheel, 20);
        assertEquals(List.of("t", "t"), fired);
        assertEquals(0, wheel.size());
    }

    @Test
    void cancelStopsAPendingTimerAndReportsIt() {
        var wheel = wheel(512);
        var timer = wheel.newTimer(() -> fired.add("x"));
        timer.schedule(30, MILLISECONDS);
        assertTrue(timer.cancel());
        assertFalse(timer.cancel());
        advance(wheel, 100);
        assertTrue(fired.isEmpty());
        assertEquals(0, wheel.size());
    }

    @Test
    void cancelOfAFiredTimerIsFalseAndHarmless() {
        var wheel = wheel(512);
        var timer = wheel.newTimer(() -> fired.add("x"));
        timer.schedule(10, MILLISECONDS);
        advance(wheel, 20);
        assertFalse(timer.cancel());
        assertEquals(List.of("x"), fired);
    }

    @Test
    void timersAcrossWheelRoundsWaitForTheirOwnTurn() {
        var wheel = wheel(8);                       // one turn = 80 ms
        wheel.newTimer(() -> fired.add("near")).schedule(30, MILLISECONDS);
        wheel.newTimer(() -> fired.add("far")).schedule(30 + 80 * 3, MILLISECONDS);   // same slot, 3 turns on
        for (int ms = 0; ms < 260; ms += 10) advance(wheel, 10);
        assertEquals(List.of("near"), fired);
        advance(wheel, 20);
        assertEquals(List.of("near", "far"), fired);
    }

    @Test
    void aJumpOfManyTurnsFiresEverythingDueAndNothingElse() {
        var wheel = wheel(8);
        for (int i = 1; i <= 20; i++) {
            int n = i;
            wheel.newTimer(() -> fired.add("t" + n)).schedule(n * 100L, MILLISECONDS);
        }
        assertEquals(10, advance(wheel, 1000));
        assertEquals(10, wheel.size());
        assertEquals(10, advance(wheel, 1000));
    }

    @Test
    void aTimerArmedFromACallbackRunsLaterNotInALoop() {
        var wheel = wheel(512);
        var holder = new Timer[1];
        holder[0] = wheel.newTimer(() -> {
            fired.add("tick");
            holder[0].schedule(0, MILLISECONDS);    // re-arm itself at once
        });
        holder[0].schedule(10, MILLISECONDS);
        assertEquals(1, advance(wheel, 10));
        assertEquals(0, wheel.expire(ticker.nanoTime()), "not again at the same instant");
        assertEquals(1, advance(wheel, 10), "once per tick, never spinning");
        var other = wheel.newTimer(() -> fired.add("other"));
        wheel.newTimer(() -> other.schedule(20, MILLISECONDS)).schedule(10, MILLISECONDS);
        advance(wheel, 10);
        assertFalse(fired.contains("other"));
        advance(wheel, 20);
        assertTrue(fired.contains("other"));
    }

    @Test
    void aCallbackMayCancelAnotherTimerDueInTheSameTick() {
        var wheel = wheel(512);
        var second = wheel.newTimer(() -> fired.add("second"));
        wheel.newTimer(() -> {
            fired.add("first");
            second.cancel();
        }).schedule(10, MILLISECONDS);
        second.schedule(10, MILLISECONDS);
        advance(wheel, 20);
        assertEquals(List.of("first"), fired);
        assertEquals(0, wheel.size());
    }

    @Test
    void sameTickTimersRunInArmingOrder() {
        var wheel = wheel(512);
        for (int i = 0; i < 5; i++) {
            int n = i;
            wheel.newTimer(() -> fired.add("t" + n)).schedule(15, MILLISECONDS);
        }
        advance(wheel, 20);
        assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), fired);
    }

    @Test
    void tenThousandTimersEachFireOnceWithinATickOfTheirDeadline() {
        var wheel = wheel(512);
        int count = 10_000;
        long[] deadlines = new long[count];
        long[] firedAt = new long[count];
        var random = ThreadLocalRandom.current();
        for (int i = 0; i < count; i++) {
            int n = i;
            deadlines[i] = random.nextLong(1, 20_000);          // up to 20 s: several turns of 5.12 s
            wheel.newTimer(() -> {
                assertEquals(0, firedAt[n], "fired twice");
                firedAt[n] = ticker.nanoTime();
            }).schedule(deadlines[i], MILLISECONDS);
        }
        assertEquals(count, wheel.size());
        int total = 0;
        for (int ms = 0; ms <= 20_010; ms += 5) total += advance(wheel, 5);
        assertEquals(count, total);
        for (int i = 0; i < count; i++) {
            long deadlineNanos = MILLISECONDS.toNanos(deadlines[i]);
            assertTrue(firedAt[i] >= deadlineNanos, "early");
            assertTrue(firedAt[i] <= deadlineNanos + MILLISECONDS.toNanos(15), "late");
        }
    }

    @Test
    void cancellingHalfOfManyTimersLeavesTheOtherHalf() {
        var wheel = wheel(512);
        var timers = new ArrayList<Timer>();
        int[] ran = new int[1];
        for (int i = 0; i < 10_000; i++) {
            var t = wheel.newTimer(() -> ran[0]++);
            t.schedule(1 + i % 3000, MILLISECONDS);
            timers.add(t);
        }
        for (int i = 0; i < timers.size(); i += 2) assertTrue(timers.get(i).cancel());
        assertEquals(5_000, wheel.size());
        advance(wheel, 3_100);
        assertEquals(5_000, ran[0]);
    }

    @Test
    void nextDeadlineGuidesTheLoopsSleep() {
        var wheel = wheel(512);
        assertEquals(Long.MAX_VALUE, wheel.nanosToNextDeadline(ticker.nanoTime()), "nothing pending: sleep");
        var timer = wheel.newTimer(() -> fired.add("t"));
        timer.schedule(95, MILLISECONDS);
        long wait = wheel.nanosToNextDeadline(ticker.nanoTime());
        assertTrue(wait >= MILLISECONDS.toNanos(95) && wait <= MILLISECONDS.toNanos(100), "wait " + wait);
        ticker.advanceNanos(wait);
        assertEquals(1, wheel.expire(ticker.nanoTime()), "waking when told finds it due");
        timer.schedule(10, SECONDS);               // beyond one turn: at most one early wake per turn
        long far = wheel.nanosToNextDeadline(ticker.nanoTime());
        assertTrue(far > 0 && far <= SECONDS.toNanos(10), "far " + far);
    }

    @Test
    void aThrowingTaskDoesNotStopTheOthers() {
        var wheel = wheel(512);
        wheel.newTimer(() -> { throw new IllegalStateException("boom"); }).schedule(10, MILLISECONDS);
        wheel.newTimer(() -> fired.add("after")).schedule(10, MILLISECONDS);
        try (var log = LogCapture.start()) {
            advance(wheel, 20);
            assertEquals(1, log.warnings().size(), "a throwing task is a bug: WARNING");
        }
        assertEquals(List.of("after"), fired);
    }
}
