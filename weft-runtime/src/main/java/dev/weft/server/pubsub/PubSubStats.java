package dev.weft.server.pubsub;

import java.util.List;

/**
 * What {@link PubSubRoutes} serve now, for a dashboard: subscribers by transport, messages
 * delivered since start, and the subscribers furthest behind.
 *
 * @param longPolls    long-polls parked now
 * @param eventSources EventSource subscribers now
 * @param webSockets   WebSocket subscribers now
 * @param delivered    messages written to subscribers since the routes were made
 * @param slowest      the subscribers with the most messages waiting, most first
 */
public record PubSubStats(int longPolls, int eventSources, int webSockets, long delivered, List<Lag> slowest) {
    /**
     * One subscriber's lag.
     *
     * @param channel   its channel
     * @param transport "eventsource" or "websocket"
     * @param queued    messages waiting in its queue for its connection
     * @param behind    messages published that it has not been handed yet, queued ones included
     * @param rttMicros its connection's smoothed round-trip time as the kernel last reported it
     *                  (TCP_INFO, sampled at the previous stats call); -1 where unknown (java.nio)
     * @param congestionWindow its connection's congestion window in segments, likewise; -1 where unknown
     */
    public record Lag(String channel, String transport, int queued, long behind, int rttMicros, int congestionWindow) {}
}
