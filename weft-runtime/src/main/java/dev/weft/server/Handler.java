package dev.weft.server;

/**
 * What a route runs (ARCHITECTURE.md convention 10). The kind is a type, so the server knows without asking
 * where a handler may run:
 * <ul>
 *   <li>{@link Async} runs on the connection's event loop and must never block. It answers
 *       through its {@link Exchange}, now or later, from any thread: park the exchange, reply when
 *       the event comes, and no thread is spent while it waits (the long-poll case).</li>
 *   <li>{@link Blocking} runs on a virtual thread of its own and returns its response; it may
 *       block on a database, a queue or {@link Request#bodyStream()}.</li>
 * </ul>
 * An exception thrown by either kind is answered with 500 (when no reply was sent yet), logged
 * once at WARNING with its stack trace, and counted; the connection and the server carry on.
 */
public sealed interface Handler {
    /** Runs on the event loop; never blocks. Replies through {@code exchange}, exactly once. */
    @FunctionalInterface
    non-sealed interface Async extends Handler {
        void handle(Request request, Exchange exchange) throws Exception;
    }

    /** Runs on a virtual thread; may block. The returned response is sent once the method returns. */
    @FunctionalInterface
    non-sealed interface Blocking extends Handler {
        Response handle(Request request) throws Exception;
    }

    /**
     * An async handler that first reads the whole request body (up to the server's
     * {@code Http1Limits.maxBodyBytes}, else 413), then runs {@code handler} on the loop with
     * {@link Request#body()} filled in. Reading starts at once, so {@code 100 Continue} is sent
     * to a client that asked for it.
     */
    static Async buffered(Async handler) {
        return (request, exchange) -> exchange.readBody(new BodyCollector(request, exchange, handler, Long.MAX_VALUE));
    }

    /** {@link #buffered(Async)} with a lower limit of its own: a body over {@code maxBytes} is answered 413. */
    static Async buffered(long maxBytes, Async handler) {
        if (maxBytes < 0) throw new IllegalArgumentException("maxBytes < 0");
        return (request, exchange) -> exchange.readBody(new BodyCollector(request, exchange, handler, maxBytes));
    }
}
