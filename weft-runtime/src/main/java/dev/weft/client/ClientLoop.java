package dev.weft.client;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Timer;
import dev.weft.net.ConnectionOptions;
import dev.weft.net.Connector;
import dev.weft.protocol.http1.DateCache;
import dev.weft.protocol.http1.Http1Writer;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What one {@link HttpClient} keeps on one loop: the request writer and a connection pool per
 * origin. Everything here is the loop's alone, so the pool needs no locks; the client's limits are
 * shared out equally between its loops.
 *
 * <h2>The pool, per origin</h2>
 * An exchange takes the most recently used idle connection (the warmest), else opens one if the
 * origin and the loop are under their limits, else waits in a bounded line; past the line it
 * fails at once. A connection that becomes idle serves the next in line, or is kept for
 * {@code idle} and then closed. A closed connection makes room for the next in line.
 */
final class ClientLoop {
    final EventLoop loop;
    final Http1Writer writer = new Http1Writer(new DateCache(System.currentTimeMillis()));
    private final HttpClient.Settings settings;
    private final Map<Origin, OriginPool> pools = new HashMap<>();
    private int open;                          // connections of this loop, all origins

    ClientLoop(EventLoop loop, HttpClient.Settings settings) {
        this.loop = loop;
        this.settings = settings;
    }

    /** On the loop: runs {@code ex} on a pooled or new connection, or queues it. */
    void submit(Origin origin, ClientExchange ex) {
        ex.startClock(loop);
        pools.computeIfAbsent(origin, OriginPool::new).submit(ex);
    }

    /** Closes every pooled connection (the client is closing). */
    void closeAll() {
        for (var pool : pools.values()) pool.closeIdle();
    }

    /** Idle connections now, for tests and counters. */
    int idleConnections() {
        int n = 0;
        for (var pool : pools.values()) n += pool.idle.size();
        return n;
    }

    int openConnections() { return open; }

    private final class OriginPool implements ClientConnection.Owner {
        private final Origin origin;
        private final ArrayDeque<ClientConnection> idle = new ArrayDeque<>();
        private final Map<ClientConnection, Timer> idleTimers = new HashMap<>();
        private final ArrayDeque<ClientExchange> waiting = new ArrayDeque<>();
        private int count;                     // this origin's connections: connecting, busy or idle

        OriginPool(Origin origin) { this.origin = origin; }

        void submit(ClientExchange ex) {
            ClientConnection c = takeIdle();
            if (c != null) {
                c.send(ex, origin.hostField());
                return;
            }
            if (count < settings.perLoopPerOrigin() && open < settings.perLoopTotal()) {
                connect(ex);
                return;
            }
            if (waiting.size() >= settings.maxWaiting()) {
                ex.failUnattached(new IOException("connection pool for " + origin + " is full: "
                        + count + " connections and " + waiting.size() + " requests waiting"));
                return;
            }
            waiting.addLast(ex);
        }

        private ClientConnection takeIdle() {
            for (ClientConnection c; (c = idle.pollLast()) != null; ) {
                idleTimers.remove(c).cancel();
                if (c.isOpen()) return c;
            }
            return null;
        }

        private void connect(ClientExchange ex) {
            count++;
            open++;
            var c = new ClientConnection(this, writer, settings.maxBodyBytes());
            Connector.connect(loop, origin.address(), settings.timeouts().connect(), ConnectionOptions.defaults(), c)
                    .whenComplete((connection, failure) -> {
                        if (failure != null) {
                            count--;
                            open--;
                            ex.failUnattached(failure);
                            next();
                        } else if (ex.isOver()) {
                            idle(c);                   // the exchange gave up meanwhile; the connection may serve another
                        } else {
                            c.send(ex, origin.hostField());
                        }
                    });
        }

        @Override public void idle(ClientConnection c) {
            ClientExchange next = pollWaiting();
            if (next != null) {
                c.send(next, origin.hostField());
                return;
            }
            idle.addLast(c);
            idleTimers.put(c, loop.schedule(settings.timeouts().idle().toNanos(), TimeUnit.NANOSECONDS, c::close));
        }

        @Override public void closed(ClientConnection c) {
            count--;
            open--;
            if (idle.remove(c)) idleTimers.remove(c).cancel();
            next();
        }

        /** Room was made: the next one in line gets a new connection. */
        private void next() {
            ClientExchange ex = pollWaiting();
            if (ex != null) submit(ex);
        }

        private ClientExchange pollWaiting() {
            for (ClientExchange ex; (ex = waiting.pollFirst()) != null; ) if (!ex.isOver()) return ex;
            return null;
        }

        void closeIdle() {
            for (ClientConnection c; (c = idle.pollLast()) != null; ) {
                idleTimers.remove(c).cancel();
                c.close();
            }
        }
    }
}
