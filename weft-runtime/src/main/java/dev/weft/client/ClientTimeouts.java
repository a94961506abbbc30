package dev.weft.client;

import java.time.Duration;
import java.util.Objects;

/**
 * Every wait the client makes, with its deadline. Each fails only its own exchange, and closes the
 * connection, which cannot be trusted to be at a message boundary after it.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>deadline</th><th>default</th><th>runs from</th></tr>
 *   <tr><td>connect</td><td>10 s</td><td>the connect call (the JDK client has none by default; curl 300 s)</td></tr>
 *   <tr><td>responseHead</td><td>30 s</td><td>the request's last byte written, until the final response head</td></tr>
 *   <tr><td>read</td><td>30 s</td><td>each body read: the silence allowed between pieces</td></tr>
 *   <tr><td>exchange</td><td>5 min</td><td>the call, until the response's end; a request may set its own</td></tr>
 *   <tr><td>expectContinue</td><td>1 s</td><td>an {@code Expect: 100-continue} head, until the body is sent anyway (curl's default)</td></tr>
 *   <tr><td>idle</td><td>30 s</td><td>a pooled keep-alive connection's last use, until it is closed</td></tr>
 * </table>
 */
public record ClientTimeouts(Duration connect, Duration responseHead, Duration read, Duration exchange,
                             Duration expectContinue, Duration idle) {
    public static final ClientTimeouts DEFAULTS = new ClientTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(1), Duration.ofSeconds(30));

    public ClientTimeouts {
        for (Duration d : new Duration[] {connect, responseHead, read, exchange, expectContinue, idle}) {
            Objects.requireNonNull(d);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("timeouts must be positive: " + d);
        }
    }

    public ClientTimeouts withConnect(Duration d) { return new ClientTimeouts(d, responseHead, read, exchange, expectContinue, idle); }
    public ClientTimeouts withResponseHead(Duration d) { return new ClientTimeouts(connect, d, read, exchange, expectContinue, idle); }
    public ClientTimeouts withRead(Duration d) { return new ClientTimeouts(connect, responseHead, d, exchange, expectContinue, idle); }
    public ClientTimeouts withExchange(Duration d) { return new ClientTimeouts(connect, responseHead, read, d, expectContinue, idle); }
    public ClientTimeouts withExpectContinue(Duration d) { return new ClientTimeouts(connect, responseHead, read, exchange, d, idle); }
    public ClientTimeouts withIdle(Duration d) { return new ClientTimeouts(connect, responseHead, read, exchange, expectContinue, d); }
}
