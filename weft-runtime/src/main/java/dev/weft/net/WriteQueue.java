package dev.weft.net;

import dev.weft.loop.BufferPool;
import dev.weft.loop.spi.StreamSocket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A connection's pending output: buffers in order, flushed with one gathering write. Loop
 * thread only (its connection's).
 *
 * <p>The buffers sit contiguously in {@code buffers[head..tail)} rather than in a wrapping ring,
 * because {@link StreamSocket#write(ByteBuffer[], int, int)} wants one contiguous range;
 * when the tail reaches the end the live range is shifted down (a few references) or, if it
 * already starts at 0, the arrays double. A queue that grew is shrunk back once drained, so an
 * idle connection keeps only two 4-entry arrays and no byte buffers (ARCHITECTURE.md rule 3).
 *
 * <p>Two kinds of buffers: those queued by reference (the caller's, never touched again) and
 * pooled ones that {@link #copy} fills, coalescing small writes into the last pooled buffer while
 * it has room. {@code pooled[i]} marks the latter, which go back to the pool once sent. A third
 * kind of entry is a {@link FileRegion} ({@code regions[i]}), sent with transferTo between the
 * gathering writes of the buffers before and after it.
 */
final class WriteQueue {
    private static final int INITIAL = 4;
    private static final int SHRINK_ABOVE = 16;
    private static final int MAX_WRITES_PER_FLUSH = 4;   // fairness: a huge queue cannot hog the loop
    /**
     * Bytes offered to one gathering write. The JDK copies every heap buffer offered, whole, into
     * a temporary direct buffer before the system call (and caches those per thread), however
     * little the socket then takes; offering 64 MiB of heap buffers would copy 64 MiB per flush.
     * 1 MiB is a quarter of Linux's largest default send buffer (tcp_wmem), so four writes can
     * still fill it.
     */
    private static final int MAX_BYTES_PER_WRITE = 1 << 20;

    /**
     * A buffer this small queued "by reference" is copied into the last pooled buffer instead, when
     * it fits. A small body (a plaintext reply, a JSON answer) then shares the buffer of its head
     * and of the replies around it, rather than ending that buffer and making the next head start
     * a fresh one: without it, pipelined small replies each held a whole pooled buffer. 1 KiB
     * costs a copy of a few tens of nanoseconds, far below the write it joins.
     */
    static final int COPY_BELOW = 1 << 10;

    private static final ByteBuffer REGION = ByteBuffer.allocate(0).asReadOnlyBuffer();   // stands in for a region

    private ByteBuffer[] buffers = new ByteBuffer[INITIAL];
    private boolean[] pooled = new boolean[INITIAL];
    private FileRegion[] regions = new FileRegion[INITIAL];   // non-null where the entry is a file region
    private int regionCount;
    private int head;
    private int tail;
    private long pending;
    private int pooledCount;            // pooled buffers queued, each holding a whole pool buffer
    private boolean corked;             // TCP_CORK set around a head and the file after it

    long pending() { return pending; }

    /**
     * The memory this queue holds for its connection: every pooled buffer whole (its unused room
     * included, since no one else can use it meanwhile) plus the unsent part of the rest. This, not
     * {@link #pending()}, is what the water marks bound.
     */
    long footprint(int poolBufferSize, long regionWeight) {
        if (pooledCount == 0 && regionCount == 0) return pending;
        long footprint = pending;
        for (int i = head; i < tail; i++) {
            if (pooled[i]) footprint -= buffers[i].remaining();
            // A file region holds no memory but an open file, and may be gigabytes long: it
            // weighs as much as its unsent bytes up to {@code regionWeight} (the high-water mark),
            // so a connection sending a file takes no new work until the file is nearly done.
            else if (regions[i] != null) footprint += Math.min(regions[i].remaining(), regionWeight) - regions[i].remaining();
        }
        return footprint + (long) pooledCount * poolBufferSize;
    }

    /**
     * Queues a file region; its bytes go out with transferTo, in order with the buffers around it.
     * A region marked {@code copy} is read now into pooled buffers instead.
     * @throws IOException if a copied region's file ended early (the connection must not go on)
     */
    void add(FileRegion region, BufferPool pool) throws IOException {
        if (region.copy()) {
            try {
                copy(region, pool);
            } finally {
                region.release();
            }
            return;
        }
        if (region.isDone()) {
            region.release();
            return;
        }
        append(REGION, false);
        regions[tail - 1] = region;
        regionCount++;
        pending += region.remaining();
    }

    boolean isEmpty() { return head == tail; }

    /** Queues {@code bytes} by reference, or copies them when small and the last pooled buffer has room. */
    void add(ByteBuffer bytes) {
        int n = bytes.remaining();
        if (n == 0) return;
        ByteBuffer last = lastPooled();
        if (n <= COPY_BELOW && last != null && last.capacity() - last.limit() >= n) {
            int end = last.limit();
            last.limit(end + n);
            last.put(end, bytes, bytes.position(), n);     // absolute: neither position moves
            pending += n;
            return;
        }
        append(bytes, false);
        pending += n;
    }

    private ByteBuffer lastPooled() { return tail > head && pooled[tail - 1] ? buffers[tail - 1] : null; }

    private boolean isSent(int i) { return regions[i] != null ? regions[i].isDone() : !buffers[i].hasRemaining(); }

    /** Copies {@code length} bytes into pooled buffers, filling the last one first. */
    void copy(byte[] src, int offset, int length, BufferPool pool) {
        while (length > 0) {
            ByteBuffer last = lastPooled();
            if (last == null || last.limit() == last.capacity()) {
                last = pool.acquire().limit(0);      // read mode, empty: bytes go in at limit
                append(last, true);
            }
            int end = last.limit();
            int n = Math.min(length, last.capacity() - end);
            last.limit(end + n);
            last.put(end, src, offset, n);            // absolute: position (what is sent) untouched
            pending += n;
            offset += n;
            length -= n;
        }
    }

    private void copy(FileRegion region, BufferPool pool) throws IOException {
        while (!region.isDone()) {
            ByteBuffer last = lastPooled();
            if (last == null || last.limit() == last.capacity()) {
                last = pool.acquire().limit(0);
                append(last, true);
            }
            int end = last.limit();
            int position = last.position();
            last.limit(last.capacity()).position(end);           // write mode over the free room
            int n;
            try {
                n = region.readInto(last);
            } finally {
                last.limit(last.position()).position(position);  // back to read mode: sent part, then all queued
            }
            pending += n;
        }
    }

    /**
     * Writes as much as {@code channel} takes now; releases pooled buffers fully sent.
     * @return bytes written (0 when the socket's send buffer is full)
     */
    long writeTo(StreamSocket channel, BufferPool pool) throws IOException {
        // A head queued before a file: corked, the head and the file's first bytes leave in full
        // segments instead of the head alone in a small one (TCP_NODELAY would send it at once).
        // Uncorked when no file is left queued, which pushes out the last partial segment.
        if (!corked && regionCount > 0 && regions[head] == null) corked = channel.setCork(true);
        long total = 0;
        for (int i = 0; i < MAX_WRITES_PER_FLUSH && head < tail; i++) {
            long n = regions[head] != null ? regions[head].transferTo(channel, MAX_BYTES_PER_WRITE) : writeSome(channel);
            if (n <= 0) break;
            total += n;
            pending -= n;
            dropSent(pool);
        }
        if (corked && regionCount == 0) {
            corked = false;
            channel.setCork(false);
        }
        return total;
    }

    /** One gathering write of at most MAX_BYTES_PER_WRITE, clipping the last buffer for the call. */
    private long writeSome(StreamSocket channel) throws IOException {
        int end = head;
        long offered = 0;
        while (end < tail && regions[end] == null && offered < MAX_BYTES_PER_WRITE) offered += buffers[end++].remaining();
        ByteBuffer last = buffers[end - 1];
        int limit = last.limit();
        if (offered > MAX_BYTES_PER_WRITE) last.limit(limit - (int) (offered - MAX_BYTES_PER_WRITE));
        try {
            return channel.write(buffers, head, end - head);
        } finally {
            last.limit(limit);
        }
    }

    /** Releases every pooled buffer and forgets the rest (the connection closed). */
    void clear(BufferPool pool) {
        for (int i = head; i < tail; i++) {
            if (pooled[i]) pool.release(buffers[i]);
            if (regions[i] != null) regions[i].release();
            buffers[i] = null;
            regions[i] = null;
        }
        head = tail = 0;
        pending = 0;
        pooledCount = 0;
        regionCount = 0;
        shrink();
    }

    private void dropSent(BufferPool pool) {
        while (head < tail && isSent(head)) {
            if (pooled[head]) {
                pool.release(buffers[head]);
                pooledCount--;
            }
            if (regions[head] != null) {
                regions[head].release();
                regions[head] = null;
                regionCount--;
            }
            buffers[head] = null;
            head++;
        }
        if (head == tail) {
            head = tail = 0;
            shrink();
        }
    }

    private void append(ByteBuffer buffer, boolean isPooled) {
        if (tail == buffers.length) makeRoom();
        buffers[tail] = buffer;
        pooled[tail] = isPooled;
        tail++;
        if (isPooled) pooledCount++;
    }

    private void makeRoom() {
        int live = tail - head;
        if (head > 0) {
            System.arraycopy(buffers, head, buffers, 0, live);
            System.arraycopy(pooled, head, pooled, 0, live);
            System.arraycopy(regions, head, regions, 0, live);
            Arrays.fill(buffers, live, tail, null);
            Arrays.fill(regions, live, tail, null);
        } else {
            buffers = Arrays.copyOf(buffers, buffers.length * 2);
            pooled = Arrays.copyOf(pooled, pooled.length * 2);
            regions = Arrays.copyOf(regions, regions.length * 2);
        }
        head = 0;
        tail = live;
    }

    private void shrink() {
        if (buffers.length > SHRINK_ABOVE) {
            buffers = new ByteBuffer[INITIAL];
            pooled = new boolean[INITIAL];
            regions = new FileRegion[INITIAL];
        }
    }
}
