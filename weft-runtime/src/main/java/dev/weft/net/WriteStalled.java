package dev.weft.net;

import java.io.IOException;

/**
 * Why a connection closed when the peer took no byte of pending output for the write-stall
 * timeout, or too few over one such window (see {@link ConnectionOptions#minWriteRate()}). The peer's doing, not a bug: no stack trace, logged at DEBUG (ARCHITECTURE.md rule 6).
 */
public final class WriteStalled extends IOException {
    private final boolean belowMinimumRate;

    public WriteStalled(String detail, boolean belowMinimumRate) {
        super(detail);
        this.belowMinimumRate = belowMinimumRate;
    }

    /** True when the peer took bytes, but fewer than the minimum write rate asks; false when none at all. */
    public boolean belowMinimumRate() { return belowMinimumRate; }

    @Override
    public synchronized Throwable fillInStackTrace() { return this; }
}
