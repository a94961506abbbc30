package dev.weft.server;

import dev.weft.protocol.http.Headers;

import java.nio.ByteBuffer;

/**
 * The connection's side of an {@link HttpExchange}: the narrow seam through which an exchange,
 * called from any thread, reaches the loop that owns its connection. The HTTP/1.1 connection
 * implements it; unit tests implement it with a single-threaded executor standing in for a loop.
 *
 * <p>Methods not marked "any thread" run on the owning loop only.
 */
interface ExchangeHost {
    /** Any thread: runs {@code task} on the loop, at once when called on it. */
    void execute(Runnable task);

    /** The connection's loop. */
    dev.weft.loop.EventLoop eventLoop();

    /** Loop thread: the kernel's view of the connection's path, where the transport can ask. */
    default java.util.Optional<dev.weft.loop.spi.TcpInfo> tcpInfo() { return java.util.Optional.empty(); }

    /** Loop only: the connection's water marks from now on. */
    void setWatermarks(int high, int low);

    /** Any thread: runs {@code task} on the loop, always queued (so it cannot overtake queued tasks). */
    void post(Runnable task);

    /** Any thread: whether the caller is the owning loop. */
    boolean inLoop();

    /** The exchange has a reply (a response or a started stream): write it when its turn comes. */
    void replyReady(HttpExchange exchange);

    /**
     * The exchange's body is asked for, for the first time, by a reader that takes at most
     * {@code maxBytes}: set the parser's body limit, send 100 Continue if due, parse on.
     */
    void readingStarted(HttpExchange exchange, long maxBytes);

    /** The exchange's body reader resumed after a pause: parse on. */
    void bodyWanted(HttpExchange exchange);

    /** A piece of a streamed body, for the exchange whose response is being written now. */
    void writeBody(HttpExchange exchange, ByteBuffer piece);

    /** The end of a streamed body, for the exchange whose response is being written now. */
    void endBody(HttpExchange exchange, Headers trailers);

    /** Ends the exchange's response abnormally: the connection closes without completing it. */
    void abortBody(HttpExchange exchange);

    /** Whether the connection is below its high-water mark (ARCHITECTURE.md rule 4). */
    boolean isWritable();

    /** Bytes queued on the connection and not yet taken by the socket. */
    long pendingBytes();

    /** The high-water mark, which also bounds bytes in transit from other threads. */
    int highWaterMark();

    /**
     * Any thread: a handler or callback threw. A bug is answered 500 when still possible, logged
     * once at WARNING and counted; a failure the client caused (it left, or broke its body) is
     * logged at DEBUG and counted as a peer fault.
     */
    void handlerFailed(HttpExchange exchange, Throwable failure);

    /** Reserves {@code n} bytes of the server's memory budget for a buffered body; false if it is spent. */
    boolean reserve(long n);

    /** Any thread: gives back bytes {@link #reserve} took. */
    void release(long n);

    /** The memory budget is spent: answer 503 if no reply was given, and read no more requests here. */
    void turnAway(HttpExchange exchange);

    /** Loop: {@code exchange} set a reply deadline of its own; the reply timer is armed anew. */
    void replyDeadlineChanged(HttpExchange exchange);
}
