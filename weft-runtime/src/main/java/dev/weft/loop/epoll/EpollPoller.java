package dev.weft.loop.epoll;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.weft.internal.Log;
import dev.weft.loop.nio.NioPoller;
import dev.weft.loop.spi.Poller;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.SelectableChannel;
import java.util.Arrays;

/**
 * A {@link Poller} over a Linux epoll instance, called through java.lang.foreign.
 *
 * <p>Registrations are found by descriptor number in an array ({@code byFd}), and the 64-bit
 * token each epoll event carries is the descriptor plus a generation: a descriptor closed while
 * events for it are still in the batch being dispatched may be handed out again by an accept in
 * that same batch, and its stale events must not reach the new connection.
 *
 * <p>The transport's own sockets are edge-triggered (see {@link EpollRegistration}); the poller
 * keeps the list of those still ready after their handler ran and calls them again on the next
 * poll, which then does not block: to a handler that is level-triggered readiness, at the cost
 * of no epoll_ctl after the first.
 *
 * <p>Wake-ups: an eventfd in the set, written from any thread. A {@link SelectableChannel}
 * registered here (a library's channel: java.nio keeps channel descriptors private, so they
 * cannot join the epoll set) is watched by a java.nio selector polled after each epoll_wait,
 * whose timeout is then held to {@value #FOREIGN_CHANNEL_TICK_MILLIS} ms: such channels work,
 * with up to that much added latency; {@link #register(int, int, Readiness)} is the native way.
 */
public final class EpollPoller implements Poller {
    private static final Log LOG = Log.of(EpollPoller.class);
    private static final int MAX_EVENTS = 512;
    private static final long WAKE_TOKEN = -1L;
    static final int FOREIGN_CHANNEL_TICK_MILLIS = 10;
    private static final MemorySegment ONE = Arena.global().allocateFrom(java.lang.foreign.ValueLayout.JAVA_LONG, 1L);

    final Scratch scratch;
    private final int epfd;
    private final int wakeFd;
    private final MemorySegment events;
    private final MemorySegment event = Arena.ofAuto().allocate(16, 8);    // for epoll_ctl
    private EpollRegistration[] byFd = new EpollRegistration[1024];
    private int generations;
    private EpollRegistration[] readyList = new EpollRegistration[64];
    private int readyCount;
    private int round;
    private NioPoller foreign;                   // channels the kernel set cannot take; made on first use
    private int foreignCount;
    private volatile boolean closed;
    // Wake-ups in flight from other threads: the eventfd is closed only once none is, or a late
    // wake-up could write its 8 bytes into whatever descriptor took the number next.
    private final java.util.concurrent.atomic.AtomicInteger waking = new java.util.concurrent.atomic.AtomicInteger();

    private EpollPoller(Scratch scratch, int epfd, int wakeFd) {
        this.scratch = scratch;
        this.epfd = epfd;
        this.wakeFd = wakeFd;
        this.events = Arena.ofAuto().allocate(MAX_EVENTS * LibC.EPOLL_EVENT_SIZE, 8);
    }

    public static EpollPoller open() throws IOException {
        var scratch = new Scratch();
        int epfd = LibC.epollCreate1(scratch.errno);
        if (epfd < 0) throw Errors.io("epoll_create1", scratch.errnoValue());
        int wakeFd = LibC.eventfd(scratch.errno);
        if (wakeFd < 0) {
            int errno = scratch.errnoValue();
            LibC.close(scratch.errno, epfd);
            throw Errors.io("eventfd", errno);
        }
        var poller = new EpollPoller(scratch, epfd, wakeFd);
        if (poller.ctl(LibC.EPOLL_CTL_ADD, wakeFd, LibC.EPOLLIN, WAKE_TOKEN) < 0) {
            int errno = scratch.errnoValue();
            LibC.close(scratch.errno, wakeFd);
            LibC.close(scratch.errno, epfd);
            throw Errors.io("epoll_ctl(eventfd)", errno);
        }
        return poller;
    }

    // ---- registering

    @Override
    public Registration register(SelectableChannel channel, int interestOps, Readiness handler) {
        if (foreign == null) {
            try {
                foreign = NioPoller.open();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot open the selector for java.nio channels", e);
            }
            LOG.debug(() -> "a java.nio channel joined an epoll loop; it is polled every " + FOREIGN_CHANNEL_TICK_MILLIS + " ms");
        }
        var inner = foreign.register(channel, interestOps, handler);
        foreignCount++;
        return new Registration() {
            private boolean counted = true;
            @Override public void interestOps(int ops) { inner.interestOps(ops); }
            @Override public int interestOps() { return inner.interestOps(); }
            @Override public void cancel() {
                inner.cancel();
                if (counted) {
                    counted = false;
                    foreignCount--;
                }
            }
            @Override public boolean isValid() { return inner.isValid(); }
        };
    }

    @Override
    public Registration register(int fd, int interestOps, Readiness handler) {
        var registration = new EpollRegistration(fd);
        add(registration, interestOps, handler, false);
        return registration;
    }

    /** Adds one of the transport's sockets, edge-triggered; a second call replaces handler and interest. */
    void registerSocket(EpollRegistration socket, int interestOps, Readiness handler) {
        if (socket.isValid() && socket.poller == this) {
            socket.handler = handler;
            socket.interestOps(interestOps);
            return;
        }
        if (socket.isValid()) throw new IllegalStateException("socket " + socket.fd + " is registered on another loop");
        add(socket, interestOps, handler, true);
    }

    private void add(EpollRegistration registration, int interestOps, Readiness handler, boolean edgeTriggered) {
        int fd = registration.fd;
        if (fd >= byFd.length) byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
        if (byFd[fd] != null && byFd[fd].isValid()) throw new IllegalStateException("descriptor " + fd + " is already registered");
        registration.attach(this, ++generations, interestOps, handler, edgeTriggered);
        int events = edgeTriggered ? LibC.EPOLLIN | LibC.EPOLLOUT | LibC.EPOLLRDHUP | LibC.EPOLLET
                : EpollRegistration.eventsOf(interestOps);
        if (!edgeTriggered && interestOps == 0) {
            byFd[fd] = registration;               // added to the kernel's set once it wants something
            return;
        }
        if (ctl(LibC.EPOLL_CTL_ADD, fd, events, registration.token()) < 0) {
            int errno = scratch.errnoValue();
            registration.dropForClose();
            throw new UncheckedIOException(Errors.io("epoll_ctl(ADD, " + fd + ")", errno));
        }
        byFd[fd] = registration;
    }

    /** Level-triggered interest changed: an interest of nothing leaves the set (else HUP would be reported for ever). */
    void modify(EpollRegistration registration, int ops) {
        int op = ops == 0 ? LibC.EPOLL_CTL_DEL : LibC.EPOLL_CTL_MOD;
        int r = ctl(op, registration.fd, EpollRegistration.eventsOf(ops), registration.token());
        if (r < 0 && op == LibC.EPOLL_CTL_MOD && scratch.errnoValue() == LibC.ENOENT) {    // it had left the set
            r = ctl(LibC.EPOLL_CTL_ADD, registration.fd, EpollRegistration.eventsOf(ops), registration.token());
        }
        if (r < 0 && !(op == LibC.EPOLL_CTL_DEL && scratch.errnoValue() == LibC.ENOENT)) {
            throw new UncheckedIOException(Errors.io("epoll_ctl(" + registration.fd + ")", scratch.errnoValue()));
        }
    }

    void remove(EpollRegistration registration, boolean fromKernel) {
        int fd = registration.fd;
        if (fd < byFd.length && byFd[fd] == registration) byFd[fd] = null;
        if (fromKernel && !closed) ctl(LibC.EPOLL_CTL_DEL, fd, 0, 0);   // fails harmlessly if it was never in
    }

    void queue(EpollRegistration registration) {
        if (registration.queued) return;
        registration.queued = true;
        if (readyCount == readyList.length) readyList = Arrays.copyOf(readyList, readyCount * 2);
        readyList[readyCount++] = registration;
    }

    private int ctl(int op, int fd, int events, long token) {
        event.set(JAVA_INT_UNALIGNED, 0, events);
        event.set(JAVA_LONG_UNALIGNED, LibC.EPOLL_EVENT_DATA, token);
        return LibC.epollCtl(scratch.errno, epfd, op, fd, event.address());
    }

    // ---- polling

    @Override
    public void poll(long timeoutNanos) {
        if (timeoutNanos < 0) throw new IllegalArgumentException("timeoutNanos < 0: " + timeoutNanos);
        int timeout;
        if (readyCount > 0 || timeoutNanos == 0) timeout = 0;
        else if (timeoutNanos == Long.MAX_VALUE) timeout = -1;
        // Rounded up: a deadline must never be reported early (a timer wheel's contract).
        else timeout = (int) Math.min(Integer.MAX_VALUE, Math.ceilDiv(timeoutNanos, 1_000_000L));
        if (foreignCount > 0 && (timeout < 0 || timeout > FOREIGN_CHANNEL_TICK_MILLIS)) timeout = FOREIGN_CHANNEL_TICK_MILLIS;
        int n = LibC.epollWait(scratch.errno, epfd, events.address(), MAX_EVENTS, timeout);
        if (n < 0) {
            int errno = scratch.errnoValue();
            if (errno != LibC.EINTR) throw new UncheckedIOException(Errors.io("epoll_wait", errno));
            n = 0;
        }
        round++;
        int carried = readyCount;                      // those still ready from the last round
        for (int i = 0; i < n; i++) {
            long offset = i * LibC.EPOLL_EVENT_SIZE;
            long token = events.get(JAVA_LONG_UNALIGNED, offset + LibC.EPOLL_EVENT_DATA);
            if (token == WAKE_TOKEN) {
                LibC.read(scratch.errno, wakeFd, scratch.eventfdValue.address(), 8);    // resets the counter
                continue;
            }
            int fd = (int) token;
            var registration = fd >= 0 && fd < byFd.length ? byFd[fd] : null;
            if (registration == null || registration.generation != (int) (token >>> 32)) continue;   // closed in this batch
            int kernelEvents = events.get(JAVA_INT_UNALIGNED, offset);
            int reported = EpollRegistration.opsOf(kernelEvents);
            if (registration.edgeTriggered) {
                registration.ready |= reported;
                if ((kernelEvents & (LibC.EPOLLRDHUP | LibC.EPOLLHUP | LibC.EPOLLERR)) != 0) registration.hangup = true;
                dispatch(registration, registration.ready & registration.interestOps());
            } else {
                dispatch(registration, reported & registration.interestOps());
            }
        }
        runStillReady(carried);
        if (foreignCount > 0) foreign.poll(0);
    }

    /** Calls again the first {@code count} of the ready list (queued before this round), keeping those still ready. */
    private void runStillReady(int count) {
        if (count == 0) return;
        var list = readyList;
        int kept = 0;
        for (int i = 0; i < count; i++) {
            var registration = list[i];
            list[i] = null;
            registration.queued = false;
            if (registration.dispatchedRound != round) {
                dispatch(registration, registration.ready & registration.interestOps());
            } else if (registration.wantsDispatch()) {
                list[kept++] = registration;          // ran on an event this round: next round
                registration.queued = true;
            }
        }
        // Entries queued during this pass sit after the first count: move them down behind the kept.
        int added = readyCount - count;
        System.arraycopy(list, count, list, kept, added);
        Arrays.fill(list, kept + added, readyCount, null);
        readyCount = kept + added;
    }

    private void dispatch(EpollRegistration registration, int ops) {
        if (ops == 0 || !registration.isValid()) return;
        registration.dispatchedRound = round;
        try {
            registration.handler.onReady(ops);
        } catch (Throwable e) {
            // As the java.nio poller: a handler that cannot take its readiness would be called for
            // ever, so its descriptor is closed (its own close path if it has one).
            LOG.warn("readiness handler threw; descriptor " + registration.fd + " closed", e);
            closeQuietly(registration);
            return;
        }
        if (registration.edgeTriggered && registration.wantsDispatch()) queue(registration);
    }

    private void closeQuietly(EpollRegistration registration) {
        try {
            if (registration.handler instanceof AutoCloseable closeable) {
                closeable.close();                    // its owner closes the descriptor, or keeps it
                if (registration.isValid()) registration.cancel();
                return;
            }
            registration.dropForClose();
            LibC.close(scratch.errno, registration.fd);
        } catch (Throwable e) {
            LOG.debug("closing a failed descriptor failed", e);
        }
    }

    @Override
    public void wakeup() {
        waking.incrementAndGet();
        try {
            if (!closed) LibC.write(wakeFd, ONE.address(), 8);
        } finally {
            waking.decrementAndGet();
        }
    }

    @Override
    public void close() {
        if (closed) return;
        for (var registration : byFd.clone()) {
            if (registration != null && registration.isValid()) closeQuietly(registration);
        }
        if (foreign != null) foreign.close();
        closed = true;
        while (waking.get() != 0) Thread.onSpinWait();
        LibC.close(scratch.errno, wakeFd);
        LibC.close(scratch.errno, epfd);
    }

    @Override public String toString() { return "epoll " + epfd; }
}
