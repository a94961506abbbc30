package dev.weft.loop;

import dev.weft.internal.Log;
import dev.weft.loop.spi.Poller;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import dev.weft.loop.spi.Transport;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectableChannel;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One platform thread owning one {@link Poller}, a bounded MPSC task inbox, a {@link TimerWheel}
 * and a {@link BufferPool} (ARCHITECTURE.md convention 8, ARCHITECTURE.md rule 1). Every method not marked "any thread"
 * must be called on the loop thread; that is asserted (tests run with {@code -ea}).
 *
 * <p>Theory of operation. The thread repeats {@link #runOnce()}:
 * <ol>
 *   <li>run up to {@value #MAX_TASKS_PER_RUN} tasks from the inbox (bounded, so I/O is not
 *       starved by a flood of tasks);
 *   <li>work out how long it may block: 0 if tasks remain, else until the next timer tick, or for
 *       ever if no timer is pending;
 *   <li>before blocking, clear {@code wakeupPending} and look at the inbox once more (below);
 *   <li>poll: each ready channel's {@link Readiness} runs here, on this thread;
 *   <li>set {@code wakeupPending} again (awake: producers need not wake us), then run due timers.
 * </ol>
 *
 * <p>Wakeups. {@code wakeupPending} is true while the loop is awake or a wakeup is already on its
 * way, so {@link #execute} from another thread wakes the poller only on the false-to-true CAS:
 * at most one wakeup per batch, none while the loop is busy, none from the loop itself (Netty's
 * {@code nextWakeupNanos}, a refinement of ARCHITECTURE.md convention 8's reset-before-drain idiom, which would
 * cost one wakeup per batch even when the loop is awake). The race it must not lose, the lost
 * wakeup: a producer offers its task after the loop's last drain but before the loop blocks,
 * sees the flag still true and skips the wakeup; the loop then sleeps with a task queued until
 * some unrelated I/O or timer. Clearing the flag (a volatile write) BEFORE the final
 * {@code inbox.isEmpty()} check (a volatile read of the producers' index) closes it: either the
 * producer's CAS comes after our clear and it wakes us, or its claim of a slot came before our
 * check and we do not block. {@code isEmpty()} counts claimed-but-unpublished slots, so a task
 * in flight also keeps us awake.
 *
 * <p>Shutdown: {@link #execute} from other threads is rejected once shutdown starts; the loop
 * runs what is already queued, closes the poller (which closes every registered channel, and
 * gives an {@link AutoCloseable} handler such as a connection its own close path), runs the
 * tasks those closes queued, and its thread ends. A task submitted from another thread at the
 * very moment the loop ends may be dropped without being rejected; submit before shutdown.
 */
public final class EventLoop implements Executor {
    static final int MAX_TASKS_PER_RUN = 1024;
    private static final Log LOG = Log.of(EventLoop.class);
    private static final VarHandle WAKEUP_PENDING;

    static {
        try {
            WAKEUP_PENDING = MethodHandles.lookup().findVarHandle(EventLoop.class, "wakeupPending", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private enum State { RUNNING, SHUTTING_DOWN, TERMINATED }

    private final EventLoopGroup group;
    private final int index;
    private final Thread owner;
    private final Poller poller;
    private final Ticker ticker;
    private final MpscQueue<Runnable> inbox;
    private final TimerWheel timers;
    private final BufferPool buffers;
    private final LoopCounters counters;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile State state = State.RUNNING;
    @SuppressWarnings("unused") // accessed through WAKEUP_PENDING
    private boolean wakeupPending = true;

    EventLoop(EventLoopGroup group, int index, LoopConfig config, Poller poller) {
        this.group = group;
        this.index = index;
        this.poller = poller;
        this.owner = Thread.ofPlatform().name("weft-loop-" + index).daemon(false).unstarted(this::run);
        this.ticker = config.ticker();
        this.inbox = new MpscQueue<>(config.inboxCapacity());
        this.timers = new TimerWheel(ticker, config.timerTick(), TimerWheel.DEFAULT_SLOTS, this::inLoop,
                e -> contain(e, "a timer task threw on " + owner.getName()));
        this.buffers = new BufferPool(config.readBufferSize(), config.maxPooledBuffers(), this::inLoop);
        this.counters = new LoopCounters(this::inLoop);
    }

    void start() { owner.start(); }

    /** Any thread. */
    public boolean inLoop() { return Thread.currentThread() == owner; }

    void assertInLoop() { assert inLoop() : "loop state touched from " + Thread.currentThread(); }

    /**
     * Any thread. Runs {@code task} on this loop, after the tasks already queued.
     * @throws RejectedExecutionException if the inbox is full or the loop is shutting down
     */
    @Override
    public void execute(Runnable task) {
        Objects.requireNonNull(task, "task");
        boolean inLoop = inLoop();
        State now = state;
        // The loop itself may still queue work while it shuts down (close callbacks do).
        if (now != State.RUNNING && !(inLoop && now == State.SHUTTING_DOWN)) {
            throw new RejectedExecutionException(owner.getName() + " is shut down");
        }
        if (!inbox.offer(task)) {
            throw new RejectedExecutionException(owner.getName() + " inbox full (" + inbox.capacity() + " tasks)");
        }
        // A plain volatile read first: while the loop is awake the flag's cache line stays shared.
        if (!inLoop && !(boolean) WAKEUP_PENDING.getVolatile(this)
                && WAKEUP_PENDING.compareAndSet(this, false, true)) {
            poller.wakeup();
        }
    }

    /** A re-armable timer whose {@code task} runs on this loop; not yet armed. */
    public Timer newTimer(Runnable task) { return timers.newTimer(Objects.requireNonNull(task, "task")); }

    /** Arms a one-shot timer; the returned timer may be cancelled or re-armed. */
    public Timer schedule(long delay, TimeUnit unit, Runnable task) {
        var timer = newTimer(task);
        timer.schedule(delay, unit);
        return timer;
    }

    /**
     * Runs every timer due at {@link #nanoTime()} now and returns how many ran. The loop does
     * this on every iteration by itself; a test that moves a manual {@link Ticker} calls it (on
     * the loop) to make the time's passing take effect at once (ARCHITECTURE.md convention 12).
     */
    public int runPendingTimers() { return timers.expire(ticker.nanoTime()); }

    /** Any thread: the ticker's now. */
    public long nanoTime() { return ticker.nanoTime(); }

    /** Any thread may hold it; acquire and release are loop-thread only. */
    public BufferPool buffers() { return buffers; }

    /**
     * Puts any non-blocking channel on this loop (a database driver, a broker link, a line
     * protocol): {@code handler.onReady(readyOps)} runs on this loop whenever it is ready. If the
     * handler is {@link AutoCloseable} it is closed at shutdown, else the channel is.
     */
    public Registration register(SelectableChannel channel, int interestOps, Readiness handler) {
        assertInLoop();
        if (channel.isBlocking()) throw new IllegalArgumentException("channel is in blocking mode: " + channel);
        return poller.register(channel, interestOps, Objects.requireNonNull(handler, "handler"));
    }

    /**
     * Puts a raw file descriptor on this loop (an eventfd, a pipe, a timerfd, a driver's socket),
     * level-triggered like {@link #register(SelectableChannel, int, Readiness)}.
     * @throws UnsupportedOperationException unless the loop's transport is native (epoll)
     */
    public Registration register(int fd, int interestOps, Readiness handler) {
        assertInLoop();
        if (fd < 0) throw new IllegalArgumentException("fd < 0: " + fd);
        return poller.register(fd, interestOps, Objects.requireNonNull(handler, "handler"));
    }

    /** Any thread: the transport this loop polls with. */
    public Transport transport() { return group.transport(); }

    /** Loop thread: this loop's poller, for the transport's own sockets to register with. */
    public Poller poller() {
        assertInLoop();
        return poller;
    }

    /** Any thread (reads may lag slightly). */
    public LoopCounters counters() { return counters; }

    /** Any thread: 0..N-1 within the group. */
    public int index() { return index; }

    /** Any thread. */
    public EventLoopGroup group() { return group; }

    @Override
    public String toString() { return owner.getName(); }

    /** Any thread: begins shutdown (see the class comment); returns at once. */
    void shutdown() {
        if (state != State.RUNNING) return;
        state = State.SHUTTING_DOWN;
        poller.wakeup();
    }

    /**
     * Any thread: waits for the loop thread to end, the thread itself included: the latch falls
     * in its last lines, so without the join a caller could still see it alive for a moment.
     */
    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long end = System.nanoTime() + unit.toNanos(timeout);
        if (!terminated.await(timeout, unit)) return false;
        if (inLoop()) return true;
        return owner.join(java.time.Duration.ofNanos(Math.max(0, end - System.nanoTime()))) || !owner.isAlive();
    }

    boolean isTerminated() { return state == State.TERMINATED; }

    boolean isShutdown() { return state != State.RUNNING; }

    /** Releases a loop whose thread never started (its group failed to start). */
    void discard() {
        assert owner.getState() == Thread.State.NEW;
        state = State.TERMINATED;
        poller.close();
        terminated.countDown();
    }

    private void run() {
        try {
            while (state == State.RUNNING) {
                try {
                    runOnce();
                } catch (Throwable e) {
                    contain(e, "event loop iteration failed; carrying on");
                }
            }
            runTasks(inbox.capacity());
            poller.close();
            runTasks(inbox.capacity());
        } catch (Throwable e) {
            LOG.error("event loop " + owner.getName() + " died", e);
        } finally {
            state = State.TERMINATED;
            terminated.countDown();
        }
    }

    private void runOnce() {
        runTasks(MAX_TASKS_PER_RUN);
        long timeout = inbox.isEmpty() ? timers.nanosToNextDeadline(ticker.nanoTime()) : 0;
        if (timeout > 0) {
            WAKEUP_PENDING.setVolatile(this, false);       // see "the lost wakeup" above
            if (!inbox.isEmpty() || state != State.RUNNING) timeout = 0;
        }
        poller.poll(timeout);
        WAKEUP_PENDING.setRelease(this, true);
        // A selector returns at once while its thread's interrupt flag is set: user code that
        // interrupts a loop thread would make it spin (Netty logs the same case and clears it).
        if (Thread.interrupted()) LOG.debug(() -> owner.getName() + " was interrupted; flag cleared");
        timers.expire(ticker.nanoTime());
    }

    /**
     * Any Throwable that reaches the loop from a task, a timer or the transport stops here: the
     * loop must outlive whatever one piece of work did, including an OutOfMemoryError (the work
     * that hit it is dropped and its garbage with it, so the next allocation may well succeed) or a
     * class that failed to load while descriptors ran out. Counted, and logged without a chance
     * of throwing again (see {@link Log}).
     */
    void contain(Throwable e, String what) {
        counters.errorContained(e);
        if (e instanceof VirtualMachineError) LOG.error(what + ": " + e);   // no trace: it may cost what is missing
        else LOG.warn(what, e);
    }

    private int runTasks(int max) {
        int ran = 0;
        Runnable task;
        while (ran < max && (task = inbox.poll()) != null) {
            ran++;
            try {
                task.run();
            } catch (Throwable e) {
                contain(e, "a task threw on " + owner.getName());
            }
            counters.taskRan();       // per task, so a later task sees every earlier one counted
        }
        return ran;
    }
}
