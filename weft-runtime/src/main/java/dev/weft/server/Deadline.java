package dev.weft.server;

/** The deadlines of {@link ServerTimeouts}, as counted in {@link ServerCounters} when they fire. */
public enum Deadline {
    REQUEST_HEAD,
    REQUEST_BODY,
    KEEP_ALIVE_IDLE,
    WRITE_STALL,
    REPLY
}
