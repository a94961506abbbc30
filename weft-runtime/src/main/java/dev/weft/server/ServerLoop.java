package dev.weft.server;

import dev.weft.loop.EventLoop;
import dev.weft.protocol.http1.DateCache;
import dev.weft.protocol.http1.Http1Limits;
import dev.weft.protocol.http1.Http1Parser;
import dev.weft.protocol.http1.Http1Writer;
import dev.weft.protocol.http1.Role;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one server keeps per event loop: the head writer and its Date cache (neither is
 * thread-safe, so one each per loop), the parsers lent to reading connections, the loop's
 * counters, and its open connections, which
 * {@link Server#stop} walks. Loop-only, except {@link #stats}.
 */
final class ServerLoop {
    final EventLoop loop;
    final DateCache dates = new DateCache(System.currentTimeMillis());
    final Http1Writer writer = new Http1Writer(dates);
    /** The parsers of this loop's connections share one staging area, so idle ones hold none. */
    private final Http1Parser.Scratch parserScratch = new Http1Parser.Scratch();
    /** Parsers at rest, lent to connections while they read (ARCHITECTURE.md rule 3); bounded, the rest dropped. */
    private final ArrayDeque<Http1Parser> parsers = new ArrayDeque<>();
    static final int MAX_POOLED_PARSERS = 1024;
    final ServerStats stats = new ServerStats();
    /** Open connections, linked through themselves: no set entry per connection (idle costs its own fields only). */
    private Http1Connection first;
    /**
     * Set by {@link Server#stop} on its own thread before any loop hears of the stop, so that a reply
     * given after the stop began (from any thread, racing the loop's stop task) already says
     * {@code Connection: close}; volatile for that reason.
     */
    volatile boolean stopping;
    /** This loop's share of the server's memory budget, in bytes. */
    private final long budget;
    /** Bytes of request bodies being collected or queued for a reader; released from any thread. */
    private final AtomicLong bodies = new AtomicLong();

    ServerLoop(EventLoop loop, long budget) {
        this.loop = loop;
        this.budget = budget;
    }

    /**
     * The memory budget (theory in {@link Server.Builder#memoryBudget}): what this loop holds in
     * pooled I/O buffers (unsent output, unparsed input) plus the request bodies it buffers.
     * Output queued by reference is the application's memory and is bounded per connection by
     * the write water marks instead, so a message shared by many subscribers is not counted
     * once per subscriber.
     */
    boolean overBudget() { return held() >= budget; }

    /** Loop thread: reserves {@code n} bytes for a buffered body, or returns false if the budget is spent. */
    boolean reserve(long n) {
        if (held() + n > budget) return false;
        bodies.addAndGet(n);
        return true;
    }

    /** Any thread: gives back what {@link #reserve} took. */
    void release(long n) { bodies.addAndGet(-n); }

    private long held() { return (long) loop.buffers().lent() * loop.buffers().bufferSize() + bodies.get(); }

    /** Bytes held against the budget now (any thread; a little stale off the loop). */
    long budgetUsed() { return held(); }

    /** A parser at rest, from the pool or new. */
    Http1Parser parser(Http1Limits limits) {
        Http1Parser p = parsers.pollLast();
        return p != null ? p : new Http1Parser(Role.SERVER, limits, parserScratch);
    }

    /** Takes back a parser at rest (see {@link Http1Parser#isAtRest()}). */
    void release(Http1Parser parser) {
        assert parser.isAtRest() : "a parser lent back mid-message";
        if (parsers.size() < MAX_POOLED_PARSERS) parsers.addLast(parser);
    }

    /** How many of this loop's connections hold a parser now: those mid-message, never the idle ones. */
    long connectionsHoldingParsers() { return connections().stream().filter(Http1Connection::holdsParser).count(); }

    void add(Http1Connection c) {
        assert !c.listed;
        c.listed = true;
        c.nextOnLoop = first;
        if (first != null) first.prevOnLoop = c;
        first = c;
    }

    /** Idempotent. */
    void remove(Http1Connection c) {
        if (!c.listed) return;
        c.listed = false;
        if (c.prevOnLoop != null) c.prevOnLoop.nextOnLoop = c.nextOnLoop;
        else first = c.nextOnLoop;
        if (c.nextOnLoop != null) c.nextOnLoop.prevOnLoop = c.prevOnLoop;
        c.prevOnLoop = c.nextOnLoop = null;
    }

    /** A copy of the open connections, safe to walk while they close. */
    List<Http1Connection> connections() {
        var all = new ArrayList<Http1Connection>();
        for (var c = first; c != null; c = c.nextOnLoop) all.add(c);
        return all;
    }

    /** Refreshes the Date value; called before writing heads (a clock read, and a new string once a second). */
    void tickDate() { dates.update(System.currentTimeMillis()); }

    /**
     * Stop accepting new requests on every connection of this loop: idle ones close now, and each
     * long-lived one is drained at its own random moment within {@code spreadNanos}.
     */
    void stop(long spreadNanos) {
        stopping = true;
        var random = java.util.concurrent.ThreadLocalRandom.current();
        for (Http1Connection c : connections()) {
            if (spreadNanos > 0 && c.isLongLived()) loop.schedule(random.nextLong(spreadNanos), java.util.concurrent.TimeUnit.NANOSECONDS, c::drain);
            else c.drain();
        }
    }

    /** Closes what is still open after the graceful deadline. */
    void forceClose() {
        for (Http1Connection c : connections()) c.abort();
    }
}
