package dev.weft.server;

import java.net.InetSocketAddress;

/**
 * Told of every response the server completes: one call per exchange, once its whole response has
 * been handed to the connection (a streamed one when its stream ends), plus the error answers to
 * requests that broke the protocol (with "-" for what could not be parsed). Exchanges that end
 * without a complete response (the client left, a stream was aborted) are not logged.
 *
 * <p>Runs on the event loop, so it must be quick and must never block: hand the entry to a queue
 * that another thread writes out (as {@code weft serve} does), or count it.
 */
@FunctionalInterface
public interface AccessLog {
    /** Logs nothing. */
    AccessLog NONE = _ -> { };

    /**
     * One completed exchange: who asked, the request line's parts ("-" when unknown), the status,
     * the body bytes sent (0 for HEAD and 304), the time from the request head to the response's
     * completion, and when the request started (milliseconds since the epoch).
     */
    record Entry(InetSocketAddress client, String method, String target, String version, int status,
                 long bytes, long durationNanos, long startMillis) {}

    void completed(Entry entry);
}
