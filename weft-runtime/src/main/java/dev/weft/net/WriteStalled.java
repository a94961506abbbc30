package dev.weft.net;

import java.io.IOException;

/**
 * Why a connection closed when the peer took no byte of pending output for the write-stall
 * timeout. The peer's doing, not a bug: no stack trace, logged at DEBUG (DESIGN rule 6).
 */
public final class WriteStalled extends IOException {
    public WriteStalled(String detail) { super(detail); }

    @Override
    public synchronized Throwable fillInStackTrace() { return this; }
}
