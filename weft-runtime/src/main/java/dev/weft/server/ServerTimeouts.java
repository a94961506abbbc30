package dev.weft.server;

import java.time.Duration;
import java.util.Objects;

/**
 * Every wait the server makes on a peer, with its deadline (ARCHITECTURE.md rule 5). Each closes only its
 * own connection, and each is counted by {@link Deadline} kind in {@link ServerCounters}.
 *
 * <table>
 *   <tr><th>deadline</th><th>default</th><th>runs from</th><th>on expiry</th></tr>
 *   <tr><td>requestHead</td><td>30 s</td><td>the first byte of a request head</td>
 *       <td>408 if no response is under way, then close (ARCHITECTURE.md's limits table; nginx's client_header_timeout is 60 s)</td></tr>
 *   <tr><td>requestBody</td><td>30 s</td><td>the last body byte, while the handler wants more</td>
 *       <td>408 if the handler has not replied, then close</td></tr>
 *   <tr><td>minDataRate</td><td>500 bytes/s</td><td>judged over each window of {@code requestBody}
 *       while a body is wanted, and of {@code writeStall} while output is pending</td>
 *       <td>as its window's deadline: a client that trickles a byte now and then never trips an
 *       idle deadline, yet holds its connection for ever (Apache's mod_reqtimeout {@code MinRate}
 *       default; Jetty's MinimumDataRate); 0 turns the check off</td></tr>
 *   <tr><td>keepAliveIdle</td><td>60 s</td><td>the end of the last response, with nothing in flight</td>
 *       <td>close (ARCHITECTURE.md's limits table; Jetty's default idle timeout is 30 s, nginx's keepalive_timeout 75 s)</td></tr>
 *   <tr><td>writeStall</td><td>30 s</td><td>the last write that made progress, while output is pending</td>
 *       <td>close (the connection's own timer)</td></tr>
 *   <tr><td>reply</td><td>5 min</td><td>the request head, until the response starts; then, for a
 *       streamed response, from one piece to the next</td>
 *       <td>503, the exchange's onCancel actions run (a stream that stops writing is aborted);
 *       long enough for long-polls, which should answer sooner, and for streams that send
 *       heartbeats</td></tr>
 *   <tr><td>gracefulStop</td><td>15 s</td><td>{@link Server#close()}</td>
 *       <td>the connections still busy are closed</td></tr>
 *   <tr><td>drainWindow</td><td>10 s</td><td>{@link Server#close()}</td>
 *       <td>not a deadline but a spread: each long-lived exchange (one with
 *       {@link Exchange#onDrain} actions) and each upgraded connection is told to end at a random
 *       moment within it (at most two thirds of the graceful deadline), so that their clients'
 *       reconnects reach the next server spread out rather than as one storm; the graceful
 *       deadline leaves them time to finish after it</td></tr>
 * </table>
 */
public record ServerTimeouts(Duration requestHead, Duration requestBody, Duration keepAliveIdle,
                             Duration writeStall, Duration reply, Duration gracefulStop, int minDataRate,
                             Duration drainWindow) {
    public static final ServerTimeouts DEFAULTS = new ServerTimeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(15), 500,
            Duration.ofSeconds(10));

    public ServerTimeouts {
        positive(requestHead, "requestHead");
        positive(requestBody, "requestBody");
        positive(keepAliveIdle, "keepAliveIdle");
        positive(writeStall, "writeStall");
        positive(reply, "reply");
        Objects.requireNonNull(gracefulStop, "gracefulStop");
        if (gracefulStop.isNegative()) throw new IllegalArgumentException("gracefulStop < 0: " + gracefulStop);
        if (minDataRate < 0) throw new IllegalArgumentException("minDataRate < 0: " + minDataRate);
        Objects.requireNonNull(drainWindow, "drainWindow");
        if (drainWindow.isNegative()) throw new IllegalArgumentException("drainWindow < 0: " + drainWindow);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive: " + d);
    }

    public ServerTimeouts withRequestHead(Duration d) {
        return new ServerTimeouts(d, requestBody, keepAliveIdle, writeStall, reply, gracefulStop, minDataRate, drainWindow);
    }

    public ServerTimeouts withRequestBody(Duration d) {
        return new ServerTimeouts(requestHead, d, keepAliveIdle, writeStall, reply, gracefulStop, minDataRate, drainWindow);
    }

    public ServerTimeouts withKeepAliveIdle(Duration d) {
        return new ServerTimeouts(requestHead, requestBody, d, writeStall, reply, gracefulStop, minDataRate, drainWindow);
    }

    public ServerTimeouts withWriteStall(Duration d) {
        return new ServerTimeouts(requestHead, requestBody, keepAliveIdle, d, reply, gracefulStop, minDataRate, drainWindow);
    }

    public ServerTimeouts withReply(Duration d) {
        return new ServerTimeouts(requestHead, requestBody, keepAliveIdle, writeStall, d, gracefulStop, minDataRate, drainWindow);
    }

    public ServerTimeouts withGracefulStop(Duration d) {
        return new ServerTimeouts(requestHead, requestBody, keepAliveIdle, writeStall, reply, d, minDataRate, drainWindow);
    }

    public ServerTimeouts withDrainWindow(Duration d) {
        return new ServerTimeouts(requestHead, requestBody, keepAliveIdle, writeStall, reply, gracefulStop, minDataRate, d);
    }

    /** Bytes per second a client must keep up while it sends a body or reads a response; 0 for none. */
    public ServerTimeouts withMinDataRate(int bytesPerSecond) {
        return new ServerTimeouts(requestHead, requestBody, keepAliveIdle, writeStall, reply, gracefulStop, bytesPerSecond, drainWindow);
    }
}
