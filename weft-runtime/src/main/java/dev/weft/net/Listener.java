package dev.weft.net;

import dev.weft.internal.Log;
import dev.weft.loop.EventLoop;
import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.Timer;
import dev.weft.loop.spi.ListenSocket;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import dev.weft.loop.spi.StreamSocket;
import dev.weft.loop.spi.Transport;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A listening address spread over a group's loops.
 *
 * <p>Two strategies. With SO_REUSEPORT (Linux: {@link Transport#supportsReusePort()}) each loop
 * gets its own listening socket on the same port and the kernel spreads incoming connections
 * over them by a hash of the 4-tuple: no hand-off between threads. Without
 * it, one socket on loop 0 accepts and hands connections round-robin to every loop. When bound to
 * port 0, the first socket takes the port the kernel picks and the rest bind to it. Note that any
 * other socket of the same user with SO_REUSEPORT on the same port would share the traffic.
 *
 * <p>Accepting drains the backlog in one go (accept until it returns null). If accept fails for
 * lack of file descriptors (EMFILE/ENFILE), the acceptor stops watching OP_ACCEPT for a backoff,
 * 100 ms doubling to 1 s, and the loop keeps serving the connections it has; without the pause a
 * level-triggered selector would report the pending connection again at once, for ever (Tomcat's
 * Acceptor backs off the same way; Netty pauses auto-read for a second). Each backoff counts in
 * {@link dev.weft.loop.LoopCounters#acceptBackoffs()}.
 *
 * <p>Each accepted socket is adopted ({@link Connection#adopt}) on its target loop, through
 * {@code execute} when that is another loop. {@code handlers.get()} runs there, possibly on
 * several loops at once, so it must be thread-safe.
 */
public final class Listener implements AutoCloseable {
    private static final Log LOG = Log.of(Listener.class);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** How a ready listening socket is accepted from; tests inject failures here. */
    @FunctionalInterface
    interface Accept {
        StreamSocket accept(ListenSocket server) throws IOException;
    }

    private final EventLoopGroup group;
    private final ConnectionOptions options;
    private final Supplier<? extends ConnectionHandler> handlers;
    private final Accept accept;
    private final boolean reusePort;
    private final InetSocketAddress localAddress;
    private final List<Acceptor> acceptors = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private Listener(EventLoopGroup group, ConnectionOptions options, Supplier<? extends ConnectionHandler> handlers,
                     Accept accept, boolean reusePort, InetSocketAddress localAddress) {
        this.group = group;
        this.options = options;
        this.handlers = handlers;
        this.accept = accept;
        this.reusePort = reusePort;
        this.localAddress = localAddress;
    }

    /**
     * Binds {@code address} (port 0: any free port, see {@link #localAddress()}) and starts
     * accepting on {@code group}'s loops. Any thread; the sockets listen when this returns.
     */
    public static Listener bind(EventLoopGroup group, InetSocketAddress address, int backlog,
                                ConnectionOptions options, Supplier<? extends ConnectionHandler> handlers)
            throws IOException {
        return bind(group, address, backlog, options, handlers, true, ListenSocket::accept);
    }

    static Listener bind(EventLoopGroup group, InetSocketAddress address, int backlog, ConnectionOptions options,
                         Supplier<? extends ConnectionHandler> handlers, boolean tryReusePort, Accept accept)
            throws IOException {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(handlers, "handlers");
        if (address.isUnresolved()) throw new BindException("cannot listen on " + address.getHostString() + ":"
                + address.getPort() + ": the host name does not resolve");
        var transport = group.transport();
        var channels = new ArrayList<ListenSocket>();
        try {
            boolean reusePort = tryReusePort && transport.supportsReusePort();
            if (reusePort && address.getPort() != 0) probeFree(transport, address);
            var first = bindOrExplain(transport, address, backlog, reusePort);
            channels.add(first);
            var bound = first.localAddress();
            int sockets = reusePort ? group.loops().size() : 1;
            for (int i = 1; i < sockets; i++) channels.add(bindOrExplain(transport, bound, backlog, true));
            var listener = new Listener(group, options, handlers, accept, reusePort, bound);
            for (int i = 0; i < channels.size(); i++) {
                listener.acceptors.add(listener.new Acceptor(group.loops().get(i), channels.get(i)));
            }
            for (var acceptor : listener.acceptors) acceptor.loop.execute(acceptor::register);
            return listener;
        } catch (IOException | RuntimeException e) {
            for (var channel : channels) channel.close();
            throw e;
        }
    }

    /**
     * With SO_REUSEPORT, a second process of the same user could bind the same port too and the
     * kernel would quietly split the connections between the two. So first bind a socket without
     * it: that fails if anyone is bound there, whatever options they used. The probe is closed at
     * once; another process could take the port between the probe and our bind, a window of
     * microseconds that only a race at start-up could hit.
     */
    private static void probeFree(Transport transport, InetSocketAddress address) throws IOException {
        // SO_REUSEADDR is set by every transport: TIME_WAIT leftovers do not count.
        bindOrExplain(transport, address, 1, false).close();
    }

    /** Binds, turning the JDK's terse errors into one line that names the address and the cause. */
    private static ListenSocket bindOrExplain(Transport transport, InetSocketAddress address, int backlog,
                                              boolean reusePort) throws IOException {
        try {
            return transport.listen(address, backlog, reusePort);
        } catch (java.net.BindException e) {
            String where = address.getHostString() + ":" + address.getPort();
            String message = String.valueOf(e.getMessage());
            String why = message.contains("in use") ? "the address is already in use (another process listens there)"
                    : message.contains("assign") ? "no interface of this machine has that address"
                    : message.contains("ermission") || message.contains("denied") ? "permission denied (ports below 1024 need privileges)"
                    : message;
            var explained = new BindException("cannot listen on " + where + ": " + why);
            explained.initCause(e);
            throw explained;
        } catch (java.nio.channels.UnsupportedAddressTypeException e) {
            throw new BindException("cannot listen on " + address + ": unsupported address type");
        }
    }

    /** Any thread: the bound address, with the actual port when bound to 0. */
    public InetSocketAddress localAddress() { return localAddress; }

    /** Any thread: true if each loop has its own listening socket (SO_REUSEPORT). */
    public boolean reusePort() { return reusePort; }

    /**
     * Any thread: stops accepting and releases the port; connections already accepted stay.
     * Called off the loops, it returns once the port is free (waiting up to 5 s); called on a
     * loop, it cannot wait, and the port is free once the loops have polled again.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        var done = new CountDownLatch(acceptors.size());
        boolean onLoop = false;
        for (var acceptor : acceptors) {
            onLoop |= acceptor.loop.inLoop();
            Runnable task = () -> {
                acceptor.close();
                done.countDown();
            };
            if (acceptor.loop.inLoop()) {
                task.run();
                continue;
            }
            try {
                acceptor.loop.execute(task);
            } catch (RejectedExecutionException e) {   // loop already shut down: no one else holds it
                acceptor.channel.close();
                done.countDown();
            }
        }
        if (onLoop) return;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            if (!done.await(5, TimeUnit.SECONDS) || !awaitReleased(deadline)) {
                LOG.warn(this + ": sockets not released within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A java.nio channel closed while registered stays open (still listening) until its selector
     * drops the cancelled key at the start of its next select; only then does the JDK close the
     * file descriptor. So: wait until each socket's release is no longer pending (that select has
     * begun), then for one task on its loop, which runs after that select returned, and so after
     * the close. (An epoll socket is released by its close at once.)
     */
    private boolean awaitReleased(long deadline) throws InterruptedException {
        for (var acceptor : acceptors) {
            while (acceptor.channel.isReleasePending()) {
                if (System.nanoTime() > deadline) return false;
                LockSupport.parkNanos(50_000);
            }
            var ran = new CountDownLatch(1);
            try {
                acceptor.loop.execute(ran::countDown);
            } catch (RejectedExecutionException e) {
                continue;                                   // the loop ended, and its poller with it
            }
            if (!ran.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) return false;
        }
        return true;
    }

    @Override
    public String toString() { return "Listener[" + localAddress + (reusePort ? " reuseport" : "") + "]"; }

    private static boolean isOutOfFileDescriptors(IOException e) {
        // NIO exposes no errno; strerror(EMFILE) is "Too many open files" and strerror(ENFILE)
        // "Too many open files in system", on Linux and macOS alike.
        var message = e.getMessage();
        return message != null && message.contains("Too many open files");
    }

    /** One listening socket on one loop; its fields are that loop's. */
    private final class Acceptor implements Readiness, AutoCloseable {
        final EventLoop loop;
        final ListenSocket channel;
        private Registration registration;
        private Timer backoff;
        private long backoffNanos;
        private boolean starved;           // accepts failed for want of descriptors since the backlog was last drained
        private int nextLoop;              // round-robin cursor, used without SO_REUSEPORT

        Acceptor(EventLoop loop, ListenSocket channel) {
            this.loop = loop;
            this.channel = channel;
        }

        void register() {
            if (!channel.isOpen()) return;     // closed before this task ran
            registration = channel.register(loop, SelectionKey.OP_ACCEPT, this);
        }

        @Override
        public void onReady(int readyOps) {
            try {
                acceptAll();
            } catch (RuntimeException | Error e) {
                // Never let it reach the poller, which would close the listening socket. What
                // failed here (a class that could not load for want of descriptors, memory) is
                // most likely passing: back off as for EMFILE and try again.
                loop.counters().errorContained(e);
                LOG.warn(Listener.this + ": accepting failed; pausing accepts: " + e);
                pause();
            }
        }

        private void acceptAll() {
            for (;;) {
                StreamSocket accepted;
                try {
                    accepted = accept.accept(channel);
                } catch (IOException e) {
                    onAcceptFailure(e);
                    return;
                }
                if (accepted == null) {
                    backoffNanos = 0;
                    // The spell ends when the backlog is drained, not at the first accept that
                    // works: while a flood is released, accepts run out again at once, and each
                    // of those is the same spell, not a new warning.
                    if (starved) {
                        starved = false;
                        LOG.info(Listener.this + " accepting again: the backlog is drained");
                    }
                    return;
                }
                handOff(accepted);
            }
        }

        private void handOff(StreamSocket accepted) {
            var loops = group.loops();
            EventLoop target = reusePort ? loop : loops.get(nextLoop++ % loops.size());
            if (nextLoop == loops.size()) nextLoop = 0;
            if (target == loop) {
                adopt(target, accepted);
                return;
            }
            try {
                target.execute(() -> adopt(target, accepted));
            } catch (RejectedExecutionException e) {
                LOG.debug(() -> target + " refused a connection: " + e.getMessage());
                accepted.close();
            }
        }

        private void onAcceptFailure(IOException e) {
            if (!channel.isOpen()) return;
            if (!isOutOfFileDescriptors(e)) {
                LOG.debug("accept failed", e);     // e.g. the peer reset while queued
                return;
            }
            backoffNanos = backoffNanos == 0 ? MIN_BACKOFF_NANOS : Math.min(2 * backoffNanos, MAX_BACKOFF_NANOS);
            loop.counters().acceptBackedOff();
            // One WARNING per spell of exhaustion, not one per back-off: a flood lasts minutes.
            if (!starved) {
                starved = true;
                LOG.warn(Listener.this + " out of file descriptors (" + e.getMessage()
                        + "); pausing accepts, serving the connections already open");
            } else {
                LOG.debug(() -> Listener.this + " still out of file descriptors; next try in "
                        + TimeUnit.NANOSECONDS.toMillis(backoffNanos) + " ms");
            }
            pause();
        }

        private void pause() {
            if (backoffNanos == 0) backoffNanos = MIN_BACKOFF_NANOS;
            registration.interestOps(0);
            if (backoff == null) backoff = loop.newTimer(this::resume);
            backoff.schedule(backoffNanos, TimeUnit.NANOSECONDS);
        }

        private void resume() {
            if (channel.isOpen() && registration.isValid()) registration.interestOps(SelectionKey.OP_ACCEPT);
        }

        @Override
        public void close() {
            if (backoff != null) backoff.cancel();
            if (registration != null) registration.cancel();
            channel.close();
        }
    }

    private void adopt(EventLoop target, StreamSocket accepted) {
        try {
            target.counters().connectionAccepted();
            Connection.adopt(target, accepted, options, handlers.get());
        } catch (IOException e) {
            LOG.debug(() -> "dropped a connection before it opened: " + e);
            accepted.close();
        } catch (RuntimeException | Error e) {
            // An Error too (a class that cannot load while descriptors are out, memory): this
            // connection is dropped, the acceptor and the loop go on.
            target.counters().errorContained(e);
            LOG.warn("could not open an accepted connection: " + e);
            accepted.close();
        }
    }
}
