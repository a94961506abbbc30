package dev.weft.websocket;

import dev.weft.protocol.websocket.WebSocketLimits;

import java.time.Duration;
import java.util.Objects;

/**
 * How an open WebSocket is kept, on either side.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>field</th><th>default</th><th>why</th></tr>
 *   <tr><td>limits</td><td>1 MiB frames, 16 MiB messages</td><td>beyond them: close 1009</td></tr>
 *   <tr><td>pingInterval</td><td>30 s</td><td>a Ping after this long without a byte from the peer;
 *       below the 60 s idle timeouts of common proxies</td></tr>
 *   <tr><td>pongTimeout</td><td>30 s</td><td>no byte at all within it after our Ping: the peer is
 *       gone; the connection is dropped (1006)</td></tr>
 *   <tr><td>closeTimeout</td><td>5 s</td><td>after our Close, the wait for the peer's before the
 *       TCP connection is cut</td></tr>
 * </table>
 */
public record WebSocketSettings(WebSocketLimits limits, Duration pingInterval, Duration pongTimeout, Duration closeTimeout) {
    public static final WebSocketSettings DEFAULTS = new WebSocketSettings(WebSocketLimits.DEFAULTS, Duration.ofSeconds(30),
            Duration.ofSeconds(30), Duration.ofSeconds(5));

    public WebSocketSettings {
        Objects.requireNonNull(limits, "limits");
        for (Duration d : new Duration[] {pingInterval, pongTimeout, closeTimeout}) {
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException("must be positive: " + d);
        }
    }

    public WebSocketSettings withLimits(WebSocketLimits l) { return new WebSocketSettings(l, pingInterval, pongTimeout, closeTimeout); }

    public WebSocketSettings withPingInterval(Duration d) { return new WebSocketSettings(limits, d, pongTimeout, closeTimeout); }

    public WebSocketSettings withPongTimeout(Duration d) { return new WebSocketSettings(limits, pingInterval, d, closeTimeout); }

    public WebSocketSettings withCloseTimeout(Duration d) { return new WebSocketSettings(limits, pingInterval, pongTimeout, d); }
}
