package dev.weft.server;

import dev.weft.loop.EventLoop;
import dev.weft.protocol.http1.DateCache;
import dev.weft.protocol.http1.Http1Writer;

import java.util.HashSet;
import java.util.Set;

/**
 * What one server keeps per event loop: the head writer and its Date cache (neither is
 * thread-safe, so one each per loop), the loop's counters, and its open connections, which
 * {@link Server#stop} walks. Loop-only, except {@link #stats}.
 */
final class ServerLoop {
    final EventLoop loop;
    final DateCache dates = new DateCache(System.currentTimeMillis());
    final Http1Writer writer = new Http1Writer(dates);
    final ServerStats stats = new ServerStats();
    final Set<Http1Connection> connections = new HashSet<>();
    boolean stopping;

    ServerLoop(EventLoop loop) { this.loop = loop; }

    /** Refreshes the Date value; called before writing heads (a clock read, and a new string once a second). */
    void tickDate() { dates.update(System.currentTimeMillis()); }

    /** Stop accepting new requests on every connection of this loop: idle ones close now. */
    void stop() {
        stopping = true;
        for (Http1Connection c : Set.copyOf(connections)) c.drain();
    }

    /** Closes what is still open after the graceful deadline. */
    void forceClose() {
        for (Http1Connection c : Set.copyOf(connections)) c.abort();
    }
}
