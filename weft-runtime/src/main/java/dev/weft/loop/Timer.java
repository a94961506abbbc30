package dev.weft.loop;

import java.util.concurrent.TimeUnit;

/**
 * A deadline on one loop's hashed {@link TimerWheel}, re-armable any number of times: arming and
 * cancelling are O(1) and allocate nothing, so a connection keeps one Timer for its whole life
 * and moves it on every request. Loop thread only (asserted). The task runs on the loop.
 *
 * <p>The timer is its own list node (intrusive): {@code prev}/{@code next} link it into its slot.
 */
public final class Timer {
    static final int IDLE = -1;

    final TimerWheel wheel;
    final Runnable task;
    Timer prev;
    Timer next;
    long dueTick;
    int slot = IDLE;            // the wheel slot holding it, the wheel's due list, or IDLE

    Timer(TimerWheel wheel, Runnable task) {
        this.wheel = wheel;
        this.task = task;
    }

    /** Arms the timer to run {@code delay} from now, cancelling a pending run first. */
    public void schedule(long delay, TimeUnit unit) { wheel.arm(this, unit.toNanos(delay)); }

    /** Returns true if the timer was pending (its task will now not run). */
    public boolean cancel() { return wheel.cancel(this); }

    public boolean isPending() {
        wheel.assertOwner();
        return slot != IDLE;
    }
}
