package dev.weft.loop;

import dev.weft.internal.Log;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A hashed timer wheel (Varghese and Lauck's scheme 6, as in Netty's HashedWheelTimer and
 * Kafka's purgatory), owned by one loop thread.
 *
 * <p>Theory of operation. Time since {@code origin} is cut into ticks of {@code tickNanos}. A
 * timer due at {@code deadline} gets {@code dueTick = ceil((deadline - origin) / tickNanos)} and
 * sits in slot {@code dueTick & mask}, in an intrusive doubly linked list (the {@link Timer} is
 * the node), so arm and cancel are O(1) and allocation-free. Deadlines further away than one turn
 * share slots with nearer ones; the stored {@code dueTick} tells them apart.
 * <ol>
 *   <li>{@link #expire(long)} processes every tick from {@code tick} (the next unprocessed one) to
 *       the current one: it moves the slot's timers whose {@code dueTick} has come onto a due
 *       list, then runs the due list. Since a timer fires only once {@code now} has reached
 *       {@code dueTick * tickNanos >= deadline}, it never fires early, and at most one tick late
 *       (plus however long the loop was busy).
 *   <li>After a jump of a whole turn or more (a long stall, a test advancing the clock by hours)
 *       it sweeps every slot once instead of walking each tick.
 *   <li>{@code tick} moves past a tick before that tick's timers run, so a timer armed from a
 *       callback with a zero delay lands on a later tick and cannot loop forever.
 *   <li>Within one tick, timers run in the order they were armed; a callback may cancel or
 *       re-arm any timer, including others on the due list.
 *   <li>{@link #nanosToNextDeadline(long)} finds the first occupied slot through a bitmap and
 *       tells the loop how long it may sleep: no timers, no timeout.
 * </ol>
 */
final class TimerWheel {
    static final int DEFAULT_SLOTS = 512;
    private static final Log LOG = Log.of(TimerWheel.class);
    private static final long MAX_DELAY = Long.MAX_VALUE >> 2;   // keeps tick arithmetic overflow-free

    private final Ticker ticker;
    private final long tickNanos;
    private final long origin;
    private final int mask;
    private final int dueList;          // index of the due list in heads, after the slots
    private final Timer[] heads;
    private final long[] occupied;      // bit per slot: its list is non-empty
    private final BooleanSupplier owner;
    private final Consumer<Throwable> onFailure;
    private long tick;
    private int size;
    private boolean expiring;

    TimerWheel(Ticker ticker, Duration tick, int slots, BooleanSupplier owner) {
        this(ticker, tick, slots, owner, e -> LOG.warn("timer task threw", e));
    }

    /** {@code onFailure} gets whatever a timer task throws; the wheel goes on with the next one. */
    TimerWheel(Ticker ticker, Duration tick, int slots, BooleanSupplier owner, Consumer<Throwable> onFailure) {
        this.onFailure = onFailure;
        if (Integer.bitCount(slots) != 1 || slots < 2) throw new IllegalArgumentException("slots: " + slots);
        if (tick.isNegative() || tick.isZero()) throw new IllegalArgumentException("tick: " + tick);
        this.ticker = ticker;
        this.tickNanos = tick.toNanos();
        this.origin = ticker.nanoTime();
        this.mask = slots - 1;
        this.dueList = slots;
        this.heads = new Timer[slots + 1];
        this.occupied = new long[Math.max(1, slots >>> 6)];
        this.owner = owner;
    }

    Timer newTimer(Runnable task) { return new Timer(this, task); }

    /** Pending timers, including those due and not yet run. */
    int size() {
        assertOwner();
        return size;
    }

    void assertOwner() { assert owner.getAsBoolean() : "timer wheel touched from " + Thread.currentThread(); }

    void arm(Timer timer, long delayNanos) {
        assertOwner();
        if (timer.slot != Timer.IDLE) unlink(timer);
        long delay = Math.clamp(delayNanos, 0, MAX_DELAY);
        long due = Math.ceilDiv(ticker.nanoTime() - origin + delay, tickNanos);
        timer.dueTick = Math.max(due, tick);
        link(timer, (int) timer.dueTick & mask);
    }

    boolean cancel(Timer timer) {
        assertOwner();
        if (timer.slot == Timer.IDLE) return false;
        unlink(timer);
        return true;
    }

    /** Runs every timer due at {@code now}; returns how many ran. A nested call (from a timer) does nothing. */
    int expire(long now) {
        assertOwner();
        if (expiring) return 0;
        expiring = true;
        try {
            return expireTicks(now);
        } finally {
            expiring = false;
        }
    }

    private int expireTicks(long now) {
        long nowTick = Math.floorDiv(now - origin, tickNanos);
        int fired = 0;
        if (size == 0 || nowTick - tick >= mask + 1) {
            tick = Math.max(tick, nowTick + 1);
            if (size == 0) return 0;
            for (int slot = 0; slot <= mask; slot++) collectDue(slot, nowTick);
            return runDue();
        }
        while (tick <= nowTick && size > 0) {
            long current = tick++;
            collectDue((int) current & mask, current);
            fired += runDue();
        }
        tick = Math.max(tick, nowTick + 1);
        return fired;
    }

    /** How long the loop may block: 0 if a timer is due, Long.MAX_VALUE if none is pending. */
    long nanosToNextDeadline(long now) {
        assertOwner();
        if (size == 0) return Long.MAX_VALUE;
        if (heads[dueList] != null) return 0;
        int distance = distanceToOccupied((int) tick & mask);
        long at = origin + (tick + distance) * tickNanos;
        return Math.max(0, at - now);
    }

    private int distanceToOccupied(int start) {
        int words = occupied.length;
        int word = start >>> 6;
        long bits = occupied[word] & (-1L << (start & 63));
        for (int i = 0; i <= words; i++) {
            if (bits != 0) {
                int slot = (word << 6) + Long.numberOfTrailingZeros(bits);
                return (slot - start) & mask;
            }
            word = (word + 1) % words;
            bits = occupied[word];
        }
        throw new AssertionError("size " + size + " but no occupied slot");
    }

    /** Moves the slot's timers due by {@code limit} to the due list, keeping arming order. */
    private void collectDue(int slot, long limit) {
        Timer timer = heads[slot];       // newest first, since link pushes at the head
        while (timer != null) {
            Timer next = timer.next;
            if (timer.dueTick <= limit) {
                unlink(timer);
                link(timer, dueList);     // pushing newest-first onto the head leaves oldest first
            }
            timer = next;
        }
    }

    private int runDue() {
        int fired = 0;
        Timer timer;
        while ((timer = heads[dueList]) != null) {
            unlink(timer);
            fired++;
            try {
                timer.task.run();
            } catch (Throwable e) {
                onFailure.accept(e);
            }
        }
        return fired;
    }

    private void link(Timer timer, int slot) {
        Timer first = heads[slot];
        timer.prev = null;
        timer.next = first;
        if (first != null) first.prev = timer;
        heads[slot] = timer;
        timer.slot = slot;
        size++;
        if (slot != dueList) occupied[slot >>> 6] |= 1L << (slot & 63);
    }

    private void unlink(Timer timer) {
        int slot = timer.slot;
        if (timer.prev != null) timer.prev.next = timer.next;
        else heads[slot] = timer.next;
        if (timer.next != null) timer.next.prev = timer.prev;
        if (heads[slot] == null && slot != dueList) occupied[slot >>> 6] &= ~(1L << (slot & 63));
        timer.prev = null;
        timer.next = null;
        timer.slot = Timer.IDLE;
        size--;
    }
}
