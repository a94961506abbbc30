package dev.weft.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.BooleanSupplier;

/**
 * Fixed-size direct buffers lent by one loop (ARCHITECTURE.md rule 3: an idle connection holds none; a
 * buffer is borrowed while bytes move and returned when they are done).
 *
 * <p>Direct, because a heap buffer handed to a socket is first copied by the JDK into a temporary
 * direct one. The free list is a bounded stack: a buffer returned when it is full is dropped and
 * its memory freed by the GC's cleaner, so a burst cannot pin memory for ever. Acquire and
 * release are loop-thread only (asserted); {@link #pooled()} and {@link #lent()} may be read from
 * any thread (opaque reads: exact on the loop, possibly a little stale elsewhere).
 *
 * <p>No reference counts (ARCHITECTURE.md convention 11): whoever acquired a buffer releases it exactly once.
 */
public final class BufferPool {
    private static final VarHandle COUNT;
    private static final VarHandle LENT;

    static {
        try {
            var lookup = MethodHandles.lookup();
            COUNT = lookup.findVarHandle(BufferPool.class, "count", int.class);
            LENT = lookup.findVarHandle(BufferPool.class, "lent", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int bufferSize;
    private final ByteBuffer[] free;
    private final BooleanSupplier owner;
    private int count;      // written by the owner only, through COUNT
    private int lent;       // written by the owner only, through LENT

    BufferPool(int bufferSize, int maxPooled, BooleanSupplier owner) {
        if (bufferSize < 1) throw new IllegalArgumentException("bufferSize < 1: " + bufferSize);
        this.bufferSize = bufferSize;
        this.free = new ByteBuffer[maxPooled];
        this.owner = owner;
    }

    /** A cleared, big-endian direct buffer of {@link #bufferSize()} bytes. Loop thread only. */
    public ByteBuffer acquire() {
        assertOwner();
        ByteBuffer buffer;
        if (count > 0) {
            buffer = free[count - 1];
            free[count - 1] = null;
            COUNT.setOpaque(this, count - 1);
        } else {
            buffer = ByteBuffer.allocateDirect(bufferSize);
        }
        LENT.setOpaque(this, lent + 1);
        return buffer.clear().order(ByteOrder.BIG_ENDIAN);
    }

    /**
     * Returns a buffer got from {@link #acquire()} on this pool, exactly once. Loop thread only.
     * @throws IllegalArgumentException if the buffer cannot have come from this pool
     */
    public void release(ByteBuffer buffer) {
        assertOwner();
        if (!buffer.isDirect() || buffer.capacity() != bufferSize || buffer.isReadOnly()) {
            throw new IllegalArgumentException("not a buffer from this pool: " + buffer);
        }
        assert !isFree(buffer) : "buffer released twice";
        if (lent <= 0) throw new IllegalStateException("more buffers released than lent");
        LENT.setOpaque(this, lent - 1);
        if (count < free.length) {
            free[count] = buffer;
            COUNT.setOpaque(this, count + 1);
        }
    }

    public int bufferSize() { return bufferSize; }

    /** Buffers on the free list. Any thread. */
    public int pooled() { return (int) COUNT.getOpaque(this); }

    /** Buffers acquired and not yet released. Any thread. */
    public int lent() { return (int) LENT.getOpaque(this); }

    private boolean isFree(ByteBuffer buffer) {
        for (int i = 0; i < count; i++) if (free[i] == buffer) return true;
        return false;
    }

    private void assertOwner() { assert owner.getAsBoolean() : "buffer pool touched from " + Thread.currentThread(); }
}
