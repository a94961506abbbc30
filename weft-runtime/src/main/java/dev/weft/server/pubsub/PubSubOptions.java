package dev.weft.server.pubsub;

import dev.weft.pubsub.Authorizer;
import dev.weft.pubsub.OverflowPolicy;
import dev.weft.pubsub.Start;
import dev.weft.server.Request;
import dev.weft.server.websocket.WebSockets;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * How {@link PubSubRoutes} serve topics. Defaults follow Nchan's (docs/NCHAN.md, "Defaults") where
 * a client could tell the difference, and Weft's rules where Nchan has no bound.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>setting</th><th>default</th><th>why</th></tr>
 *   <tr><td>authorizer</td><td>everyone</td><td>a refusal is 403</td></tr>
 *   <tr><td>firstMessage</td><td>oldest kept</td><td>Nchan's {@code nchan_subscriber_first_message}</td></tr>
 *   <tr><td>longPollTimeout</td><td>2 min</td><td>408, after which Nchan's client polls again at
 *       once with its cursor; Nchan has none by default, but every wait here has a deadline, and
 *       this one comes before the server's reply deadline (5 min) and most proxies' (nginx's
 *       proxy_read_timeout is 60 s: lower it behind such a proxy)</td></tr>
 *   <tr><td>subscriberTimeout</td><td>none</td><td>an SSE or WebSocket subscriber ended after this
 *       long without a message (Nchan's {@code nchan_subscriber_timeout}, 0 by default); they have
 *       heartbeats, so silence is not a dead peer</td></tr>
 *   <tr><td>heartbeat</td><td>15 s</td><td>SSE comment after silence (WHATWG HTML §9.2.7)</td></tr>
 *   <tr><td>queueMessages, queueBytes</td><td>256, 1 MiB</td><td>what one SSE or WebSocket subscriber
 *       may have unwritten</td></tr>
 *   <tr><td>overflow</td><td>disconnect</td><td>a subscriber that falls that far behind is closed; its
 *       client reconnects with its last id and is told what it lost, rather than losing it silently</td></tr>
 *   <tr><td>maxChannelIdBytes</td><td>1024</td><td>Nchan's {@code nchan_max_channel_id_length}; 403 past it</td></tr>
 *   <tr><td>allowOrigin</td><td>any</td><td>Nchan echoes any Origin with credentials allowed; a refused one is 403</td></tr>
 *   <tr><td>reportResume</td><td>on</td><td>a resume that lost messages is said: a {@code Weft-Resume}
 *       header on long-poll answers and a {@code weft-resume} event on SSE (which Nchan's client,
 *       listening to {@code onmessage} only, never sees); WebSocket only when the URL asks with
 *       {@code weft_resume=1}, since every frame there is a message to Nchan's client</td></tr>
 * </table>
 */
public record PubSubOptions(Authorizer<Request> authorizer, Start firstMessage, Duration longPollTimeout,
                            Duration subscriberTimeout, Duration heartbeat, int queueMessages, long queueBytes,
                            OverflowPolicy overflow, int maxChannelIdBytes, Predicate<String> allowOrigin,
                            boolean reportResume, WebSockets.Options webSocket) {
    public static final PubSubOptions DEFAULTS = new PubSubOptions(Authorizer.everyone(), Start.Oldest.OLDEST,
            Duration.ofMinutes(2), Duration.ZERO, Duration.ofSeconds(15), 256, 1L << 20, OverflowPolicy.DISCONNECT,
            1024, _ -> true, true, WebSockets.Options.DEFAULTS);

    public PubSubOptions {
        Objects.requireNonNull(authorizer);
        Objects.requireNonNull(firstMessage);
        Objects.requireNonNull(overflow);
        Objects.requireNonNull(allowOrigin);
        Objects.requireNonNull(webSocket);
        if (!(firstMessage instanceof Start.Oldest) && !(firstMessage instanceof Start.Newest)) {
            throw new IllegalArgumentException("the first message is the oldest or the newest: " + firstMessage);
        }
        if (longPollTimeout.isNegative() || longPollTimeout.isZero()) throw new IllegalArgumentException("longPollTimeout must be positive");
        if (subscriberTimeout.isNegative() || heartbeat.isNegative()) throw new IllegalArgumentException("negative duration");
        if (queueMessages < 1 || queueBytes < 1 || maxChannelIdBytes < 1) throw new IllegalArgumentException("bounds must be positive");
    }

    public PubSubOptions withAuthorizer(Authorizer<Request> a) {
        return new PubSubOptions(a, firstMessage, longPollTimeout, subscriberTimeout, heartbeat, queueMessages, queueBytes,
                overflow, maxChannelIdBytes, allowOrigin, reportResume, webSocket);
    }

    public PubSubOptions withFirstMessage(Start s) {
        return new PubSubOptions(authorizer, s, longPollTimeout, subscriberTimeout, heartbeat, queueMessages, queueBytes,
                overflow, maxChannelIdBytes, allowOrigin, reportResume, webSocket);
    }

    public PubSubOptions withLongPollTimeout(Duration d) {
        return new PubSubOptions(authorizer, firstMessage, d, subscriberTimeout, heartbeat, queueMessages, queueBytes,
                overflow, maxChannelIdBytes, allowOrigin, reportResume, webSocket);
    }

    public PubSubOptions withSubscriberTimeout(Duration d) {
        return new PubSubOptions(authorizer, firstMessage, longPollTimeout, d, heartbeat, queueMessages, queueBytes,
                overflow, maxChannelIdBytes, allowOrigin, reportResume, webSocket);
    }

    public PubSubOptions withHeartbeat(Duration d) {
        return new PubSubOptions(authorizer, firstMessage, longPollTimeout, subscriberTimeout, d, queueMessages, queueBytes,
                overflow, maxChannelIdBytes, allowOrigin, reportResume, webSocket);
    }

    public PubSubOptions withQueue(int messages, long bytes, OverflowPolicy policy) {
        return new PubSubOptions(authorizer, firstMessage, longPollTimeout, subscriberTimeout, heartbeat, messages, bytes,
                policy, maxChannelIdBytes, allowOrigin, reportResume, webSocket);
    }

    public PubSubOptions withMaxChannelIdBytes(int n) {
        return new PubSubOptions(authorizer, firstMessage, longPollTimeout, subscriberTimeout, heartbeat, queueMessages, queueBytes,
                overflow, n, allowOrigin, reportResume, webSocket);
    }

    public PubSubOptions withAllowOrigin(Predicate<String> p) {
        return new PubSubOptions(authorizer, firstMessage, longPollTimeout, subscriberTimeout, heartbeat, queueMessages, queueBytes,
                overflow, maxChannelIdBytes, p, reportResume, webSocket);
    }

    public PubSubOptions withReportResume(boolean on) {
        return new PubSubOptions(authorizer, firstMessage, longPollTimeout, subscriberTimeout, heartbeat, queueMessages, queueBytes,
                overflow, maxChannelIdBytes, allowOrigin, on, webSocket);
    }

    public PubSubOptions withWebSocket(WebSockets.Options o) {
        return new PubSubOptions(authorizer, firstMessage, longPollTimeout, subscriberTimeout, heartbeat, queueMessages, queueBytes,
                overflow, maxChannelIdBytes, allowOrigin, reportResume, o);
    }
}
