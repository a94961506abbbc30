package dev.weft.server;

/** The deadlines of {@link ServerTimeouts}, as counted in {@link ServerCounters} when they fire. */
public enum Deadline {
    REQUEST_HEAD,
    REQUEST_BODY,
    /** A body arrived, or a response was taken, more slowly than {@code ServerTimeouts.minDataRate}. */
    MIN_DATA_RATE,
    KEEP_ALIVE_IDLE,
    WRITE_STALL,
    REPLY
}
