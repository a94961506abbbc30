package dev.weft.net;

import java.time.Duration;

/**
 * Judges a peer that we wait on for bytes (a request body arriving, our output being taken) in
 * windows of one deadline's length: a whole window without a byte is silence, and a window that
 * ends with fewer than {@code minBytesPerSecond} times its length in bytes is too slow. A peer
 * that sends (or reads) one byte now and then never trips a silence deadline that restarts on each
 * byte, yet holds its connection for ever; the window catches it within two deadlines' time.
 *
 * <p>Cheap on the hot path: {@link #progressed} only adds and stores the time it is given; the
 * owner's timer fires at {@link #nextCheck()}, about once per window, and asks {@link #judge}.
 * Not thread-safe: it belongs to a connection's loop.
 */
public final class DataRate {
    /** What {@link #judge} found. */
    public enum Verdict { ON_TIME, SILENT, TOO_SLOW }

    private final long windowNanos;
    private final long requiredPerWindow;
    private long lastProgress;
    private long windowStart;
    private long windowBytes;

    /** {@code minBytesPerSecond} 0: only silence counts. */
    public DataRate(Duration window, int minBytesPerSecond) {
        this.windowNanos = window.toNanos();
        this.requiredPerWindow = (long) minBytesPerSecond * windowNanos / 1_000_000_000L;
    }

    /** The wait begins now: a fresh window, as if a byte had just come. */
    public void start(long now) {
        lastProgress = now;
        windowStart = now;
        windowBytes = 0;
    }

    public void progressed(long bytes, long now) {
        if (bytes <= 0) return;
        lastProgress = now;
        windowBytes += bytes;
    }

    /** Bytes counted since the current window began. */
    public long bytesInWindow() { return windowBytes; }

    /** When the owner's timer should next call {@link #judge}: a possible silence or window end. */
    public long nextCheck() { return Math.min(lastProgress, windowStart) + windowNanos; }

    /** At the timer: SILENT or TOO_SLOW end the wait; ON_TIME moves on to the next window if this one ended. */
    public Verdict judge(long now) {
        if (now - lastProgress >= windowNanos) return Verdict.SILENT;
        if (now - windowStart >= windowNanos) {
            if (windowBytes < requiredPerWindow) return Verdict.TOO_SLOW;
            windowStart = now;
            windowBytes = 0;
        }
        return Verdict.ON_TIME;
    }
}
