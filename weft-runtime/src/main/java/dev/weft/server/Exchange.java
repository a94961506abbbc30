package dev.weft.server;

import dev.weft.loop.EventLoop;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;

import java.time.Duration;

/**
 * One request and the right to answer it: the reply handle an {@link Handler.Async} handler
 * keeps while it waits, and may hand to any thread (ARCHITECTURE.md convention 10).
 *
 * <h2>Lifecycle</h2>
 * <ol>
 *   <li>The server parses a request head, routes it, and calls the handler with a fresh exchange.
 *       The request body has not been read yet.</li>
 *   <li>The handler may read the body ({@link #readBody}), and answers exactly once: with
 *       {@link #reply} or by starting a {@link #stream}. It may do so before it returns, or later
 *       from any thread (the exchange is then "parked").</li>
 *   <li>Responses on one connection leave in request order (HTTP/1.1 pipelining, RFC 9112 §9.3.2),
 *       so a reply may wait for an earlier request's response before it is written.</li>
 *   <li>The exchange ends when its response has been handed to the connection, when the client
 *       goes away, or when the reply deadline fires ({@code ServerTimeouts.reply}, answered with
 *       503). The last two run the {@link #onCancel} actions and make {@link #isOpen()} false; a
 *       reply after that is a harmless no-op.</li>
 * </ol>
 *
 * <h2>Request context</h2>
 * Callbacks the server runs later for this exchange (the sending of the reply, {@link #onCancel}
 * actions, {@link BodyReader} and {@link ResponseStream} callbacks) run on the connection's loop
 * with the request's context bound again: {@link RequestContext#CURRENT} and the scoped values
 * the server was told to carry ({@code Server.Builder.carry}). The bindings are captured each time
 * the handler calls a method of this exchange on its own thread while it runs, the last capture
 * winning, and at the latest when the handler is called; so a handler that binds a value and then
 * parks the exchange inside that binding has it carried.
 *
 * <p>Every method may be called from any thread.
 */
public interface Exchange {
    Request request();

    /**
     * Sends {@code response}, once. A second reply (or a reply after {@link #stream}) is a bug and
     * throws {@link dev.weft.protocol.http.UsageViolation}; a reply after the client left or the
     * deadline fired is a no-op.
     */
    void reply(Response response);

    /**
     * The event loop of this exchange's connection: where its callbacks run, and where what
     * belongs to the exchange (a timer, a topic subscription) should live.
     */
    EventLoop loop();

    /**
     * Loop thread: the connection's round-trip time, congestion window and unsent bytes as the
     * kernel sees them (TCP_INFO), on a transport that can ask (epoll); empty otherwise.
     */
    default java.util.Optional<dev.weft.loop.spi.TcpInfo> tcpInfo() { return java.util.Optional.empty(); }

    /**
     * Holds the connection's output to these water marks from now on, instead of the server's
     * ({@code ConnectionOptions}): a long-lived stream to a client that may stop reading (a topic
     * subscriber with thousands of peers) keeps less in memory per connection with lower ones.
     */
    void writeWatermarks(int high, int low);

    /** False once the client left, the reply deadline fired, or the connection closed. */
    boolean isOpen();

    /**
     * Runs {@code action} on the loop, in the request's context, if the client goes away (or the
     * reply deadline fires) before the response is complete, so a parked long-poll is dropped at
     * once rather than at its deadline. Runs at once (on the loop) if that has already happened.
     * A blocking handler's virtual thread is interrupted in the same case.
     */
    void onCancel(Runnable action);

    /**
     * Runs {@code action} on the loop, in the request's context, when the server stops gracefully
     * while this exchange is still parked or streaming, so that a long-lived answer (a long-poll,
     * an event stream) can end itself in a way its client understands: answer now, send a retry
     * hint, close. The server calls these at moments spread over its drain window, so that the
     * clients' reconnects do not arrive elsewhere as one storm. An exchange without one is left
     * to finish until the graceful deadline, then closed. A second action runs after the first.
     */
    void onDrain(Runnable action);

    /**
     * This exchange's reply deadline, {@code timeout} from now, in place of the server's
     * ({@code ServerTimeouts.reply}): if no reply was given when it passes, {@code onTimeout} runs
     * on the loop in the request's context and should answer (a long-poll's "nothing new"); from
     * then the server's usual period applies again. It reuses the connection's reply timer, so a
     * parked request needs no timer of its own.
     */
    void replyTimeout(Duration timeout, Runnable onTimeout);

    /**
     * Starts a streamed response: the head now, the body in pieces through the returned stream
     * (chunked for HTTP/1.1, until-close for HTTP/1.0, or fixed when {@code headers} has a
     * Content-Length). Counts as the reply.
     */
    ResponseStream stream(Status status, Headers headers);

    /**
     * Reads the request body as it arrives, with backpressure: {@code reader} gets each piece on
     * the loop and decides, by its return value, whether the server goes on reading the socket
     * (see {@link BodyReader}). {@code 100 Continue} is sent only now, when the body is first
     * asked for (RFC 9110 §10.1.1). Once per exchange; a request without a body gets
     * {@link BodyReader#onEnd} straight away.
     */
    void readBody(BodyReader reader);

    /** Resumes a body that the reader paused by returning false from {@link BodyReader#onBytes}. */
    void resumeBody();

    /**
     * Answers with the interim {@code status} (101 Switching Protocols, RFC 9110 §15.2.2) and
     * {@code headers}, then hands the connection to {@code next}, which speaks the new protocol
     * from the next byte on. Counts as the reply. The request must have asked to upgrade (its
     * Upgrade and Connection fields) and have no body; requests pipelined behind it are refused.
     */
    void switchProtocols(Status status, Headers headers, UpgradedConnection next);

    /**
     * Hands the connection to {@code next} without writing anything: for a protocol whose
     * handshake continues after the request head (hixie-76 WebSocket reads 8 more bytes, then
     * answers itself). Counts as the reply.
     */
    void handOver(UpgradedConnection next);
}
