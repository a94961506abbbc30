package dev.weft.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.BooleanSupplier;

/**
 * Per-loop counters: one writer (the loop thread, asserted), readers anywhere.
 *
 * <p>Written with {@code setOpaque} and read with {@code getOpaque}: the writer reads its own
 * fields plainly and stores the sum opaquely, which on x86 and ARM is a plain store, so counting
 * costs no fence and no atomic read-modify-write on the hot path. Opaque still guarantees that a
 * reader sees whole {@code long}s (no torn halves) and sees new values eventually, which is all a
 * dashboard needs. Volatile would buy ordering nobody uses, at the price of a full fence per
 * increment; an {@code AtomicLong} would add a locked instruction.
 *
 * <p>The incrementers are public so transports and protocols in other packages (a connection, a
 * listener, a user's own channel) count on the same loop; they too are loop-thread only.
 */
public final class LoopCounters {
    private static final VarHandle OPEN, ACCEPTED, READ, WRITTEN, BACKOFFS, TASKS, CONTAINED, OOMS;

    static {
        try {
            var l = MethodHandles.lookup();
            OPEN = l.findVarHandle(LoopCounters.class, "connectionsOpen", long.class);
            ACCEPTED = l.findVarHandle(LoopCounters.class, "connectionsAccepted", long.class);
            READ = l.findVarHandle(LoopCounters.class, "bytesRead", long.class);
            WRITTEN = l.findVarHandle(LoopCounters.class, "bytesWritten", long.class);
            BACKOFFS = l.findVarHandle(LoopCounters.class, "acceptBackoffs", long.class);
            TASKS = l.findVarHandle(LoopCounters.class, "tasksRun", long.class);
            CONTAINED = l.findVarHandle(LoopCounters.class, "errorsContained", long.class);
            OOMS = l.findVarHandle(LoopCounters.class, "outOfMemoryErrors", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final BooleanSupplier owner;
    private long connectionsOpen;
    private long connectionsAccepted;
    private long bytesRead;
    private long bytesWritten;
    private long acceptBackoffs;
    private long tasksRun;
    private long errorsContained;
    private long outOfMemoryErrors;

    LoopCounters(BooleanSupplier owner) { this.owner = owner; }

    public long connectionsOpen() { return (long) OPEN.getOpaque(this); }
    public long connectionsAccepted() { return (long) ACCEPTED.getOpaque(this); }
    public long bytesRead() { return (long) READ.getOpaque(this); }
    public long bytesWritten() { return (long) WRITTEN.getOpaque(this); }
    public long acceptBackoffs() { return (long) BACKOFFS.getOpaque(this); }
    public long tasksRun() { return (long) TASKS.getOpaque(this); }
    /** Throwables from tasks, timers, handlers or the transport that the loop caught and outlived. */
    public long errorsContained() { return (long) CONTAINED.getOpaque(this); }
    /** Of those, OutOfMemoryErrors: each dropped the work (and closed the connection) that hit it. */
    public long outOfMemoryErrors() { return (long) OOMS.getOpaque(this); }

    public void connectionOpened() {
        assertOwner();
        OPEN.setOpaque(this, connectionsOpen + 1);
    }

    public void connectionClosed() {
        assertOwner();
        OPEN.setOpaque(this, connectionsOpen - 1);
    }

    public void connectionAccepted() {
        assertOwner();
        ACCEPTED.setOpaque(this, connectionsAccepted + 1);
    }

    public void addBytesRead(long n) {
        assertOwner();
        READ.setOpaque(this, bytesRead + n);
    }

    public void addBytesWritten(long n) {
        assertOwner();
        WRITTEN.setOpaque(this, bytesWritten + n);
    }

    public void acceptBackedOff() {
        assertOwner();
        BACKOFFS.setOpaque(this, acceptBackoffs + 1);
    }

    /** A Throwable was caught on this loop and the loop went on; loop thread only. */
    public void errorContained(Throwable e) {
        assertOwner();
        CONTAINED.setOpaque(this, errorsContained + 1);
        if (e instanceof OutOfMemoryError) OOMS.setOpaque(this, outOfMemoryErrors + 1);
    }

    void taskRan() {
        assertOwner();
        TASKS.setOpaque(this, tasksRun + 1);
    }

    @Override
    public String toString() {
        return "LoopCounters[open=" + connectionsOpen() + ", accepted=" + connectionsAccepted()
                + ", read=" + bytesRead() + ", written=" + bytesWritten()
                + ", acceptBackoffs=" + acceptBackoffs() + ", tasks=" + tasksRun()
                + ", errorsContained=" + errorsContained() + ", outOfMemory=" + outOfMemoryErrors() + "]";
    }

    private void assertOwner() { assert owner.getAsBoolean() : "counters written from " + Thread.currentThread(); }
}
