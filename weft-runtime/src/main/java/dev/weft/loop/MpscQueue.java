package dev.weft.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * A bounded, lock-free, multi-producer single-consumer queue: Dmitry Vyukov's bounded ring
 * with a sequence number per cell, cut down to one consumer.
 *
 * <p>Why not java.util.concurrent: {@code ArrayBlockingQueue} takes one lock that producers and
 * the loop contend on; {@code ConcurrentLinkedQueue} and {@code LinkedBlockingQueue} allocate a
 * node per offer and the former is unbounded (ARCHITECTURE.md rule 4). None is as good here.
 *
 * <p>Theory of operation. Cell {@code i} of the ring holds a sequence number {@code seq}. For a
 * position {@code pos} mapping to the cell ({@code pos & mask}):
 * <ul>
 *   <li>{@code seq == pos}: the cell is free for the producer of {@code pos};
 *   <li>{@code seq == pos + 1}: the element for {@code pos} is published, the consumer may take it;
 *   <li>{@code seq == pos + 1 - capacity}: the element from one lap ago is still there: full.
 * </ul>
 * A producer claims {@code pos} by CAS on {@code tail}, writes the element plainly, then publishes
 * it with a release store of {@code pos + 1}; the consumer's acquire load of the sequence makes
 * the element visible. The consumer frees the cell by storing {@code pos + capacity}. The only
 * contended word is {@code tail}.
 *
 * <p>Between a producer's claim and its publish, the cell looks empty to {@link #poll()}, but
 * {@link #isEmpty()} (which compares indices) says "not empty". The loop relies on that: it must
 * not go to sleep while a claimed task is about to land (see EventLoop's wakeup comment).
 *
 * <p>{@code head} and {@code tail} may share a cache line (no padding); whether padding pays
 * is a question for a weft-bench benchmark, not a guess.
 */
final class MpscQueue<E> {
    private static final VarHandle SEQUENCE = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle TAIL;

    static {
        try {
            TAIL = MethodHandles.lookup().findVarHandle(MpscQueue.class, "tail", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int mask;
    private final long[] sequences;
    private final Object[] elements;
    @SuppressWarnings("unused") // accessed through TAIL
    private long tail;          // next position to claim; producers CAS it
    private long head;          // next position to take; consumer only, plain

    /** {@code capacity} is rounded up to a power of two. */
    MpscQueue(int capacity) {
        if (capacity < 2 || capacity > 1 << 30) throw new IllegalArgumentException("capacity: " + capacity);
        int size = Integer.highestOneBit(capacity - 1) << 1;
        mask = size - 1;
        sequences = new long[size];
        elements = new Object[size];
        for (int i = 0; i < size; i++) sequences[i] = i;
    }

    int capacity() { return mask + 1; }

    /** Any thread. False when full: the caller decides (the loop rejects the task). */
    boolean offer(E element) {
        Objects.requireNonNull(element, "element");
        long pos = (long) TAIL.getVolatile(this);
        for (;;) {
            int cell = (int) pos & mask;
            long seq = (long) SEQUENCE.getAcquire(sequences, cell);
            long lag = seq - pos;
            if (lag == 0) {
                if (TAIL.weakCompareAndSet(this, pos, pos + 1)) {
                    elements[cell] = element;
                    SEQUENCE.setRelease(sequences, cell, pos + 1);
                    return true;
                }
                pos = (long) TAIL.getVolatile(this);       // lost the race (or a spurious failure)
            } else if (lag < 0) {
                return false;                                   // the previous lap's element is still here
            } else {
                pos = (long) TAIL.getVolatile(this);       // another producer took pos; catch up
            }
        }
    }

    /** Consumer only. Null when empty or when the next element is claimed but not yet published. */
    @SuppressWarnings("unchecked")
    E poll() {
        long pos = head;
        int cell = (int) pos & mask;
        if ((long) SEQUENCE.getAcquire(sequences, cell) != pos + 1) return null;
        var element = (E) elements[cell];
        elements[cell] = null;
        SEQUENCE.setRelease(sequences, cell, pos + mask + 1);
        head = pos + 1;
        return element;
    }

    /**
     * Consumer only. Counts claimed-but-unpublished elements as present. The volatile read of
     * {@code tail} orders this after the loop's volatile reset of its wakeup flag (Dekker style).
     */
    boolean isEmpty() { return (long) TAIL.getVolatile(this) == head; }

    /** Consumer only; claimed elements included. */
    int size() { return (int) ((long) TAIL.getVolatile(this) - head); }
}
