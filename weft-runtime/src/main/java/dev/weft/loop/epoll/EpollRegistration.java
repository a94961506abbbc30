package dev.weft.loop.epoll;

import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import java.nio.channels.SelectionKey;

/**
 * One descriptor in an {@link EpollPoller}. Two kinds:
 * <ul>
 *   <li>edge-triggered (the transport's own sockets): added once with EPOLLIN, EPOLLOUT, EPOLLRDHUP
 *       and EPOLLET and never changed again. The kernel reports each change of state once; what it
 *       reported is kept in {@code ready} until the socket's own I/O learns the state changed back
 *       (EAGAIN, or a read or write shorter than asked), so interest changes cost no system call
 *       and a handler that stops early (fairness) is simply called again on the next poll;
 *   <li>level-triggered (a descriptor someone else owns, {@link EpollPoller#register(int, int, Readiness)}):
 *       its interest is the epoll interest, changed with epoll_ctl.
 * </ul>
 * Ready and interest sets hold {@link SelectionKey} constants. Loop thread only, except the two reads
 * the {@link Registration} contract allows from anywhere.
 */
class EpollRegistration implements Registration {
    static final int READABLE = SelectionKey.OP_READ | SelectionKey.OP_ACCEPT;
    static final int WRITABLE = SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT;

    EpollPoller poller;             // set when registered
    int fd;
    int generation;                 // with fd, the token epoll hands back: tells a reused descriptor number apart
    private volatile int interest;
    int ready;                      // edge-triggered only: reported and not yet consumed
    boolean hangup;                 // the kernel reported the peer's FIN (or an error): read on to the end
    boolean edgeTriggered;
    boolean queued;                 // in the poller's ready list
    int dispatchedRound;            // the poll round it last ran in (wraps harmlessly)
    Readiness handler;
    private volatile boolean valid;

    EpollRegistration(int fd) { this.fd = fd; }

    void attach(EpollPoller poller, int generation, int interestOps, Readiness handler, boolean edgeTriggered) {
        this.poller = poller;
        this.generation = generation;
        this.interest = interestOps;
        this.handler = handler;
        this.edgeTriggered = edgeTriggered;
        this.valid = true;
    }

    long token() { return ((long) generation << 32) | (fd & 0xffffffffL); }

    /** The socket's I/O found the descriptor not ready for these ops any more. */
    final void consumed(int ops) { ready &= ~ops; }

    final boolean wantsDispatch() { return valid && (ready & interest) != 0; }

    @Override
    public void interestOps(int ops) {
        if (!valid || interest == ops) return;
        interest = ops;
        if (edgeTriggered) {
            if ((ready & ops) != 0) poller.queue(this);
        } else {
            poller.modify(this, ops);
        }
    }

    @Override public int interestOps() { return valid ? interest : 0; }

    @Override
    public void cancel() {
        if (!valid) return;
        valid = false;
        poller.remove(this, true);
    }

    /** The descriptor is being closed: forget it without epoll_ctl (closing removes it from epoll). */
    final void dropForClose() {
        if (!valid) return;
        valid = false;
        poller.remove(this, false);
    }

    @Override public boolean isValid() { return valid; }

    static int opsOf(int events) {
        int ops = 0;
        if ((events & (LibC.EPOLLIN | LibC.EPOLLRDHUP)) != 0) ops |= READABLE;
        if ((events & LibC.EPOLLOUT) != 0) ops |= WRITABLE;
        if ((events & (LibC.EPOLLERR | LibC.EPOLLHUP)) != 0) ops |= READABLE | WRITABLE;
        return ops;
    }

    static int eventsOf(int ops) {
        int events = 0;
        if ((ops & READABLE) != 0) events |= LibC.EPOLLIN;
        if ((ops & WRITABLE) != 0) events |= LibC.EPOLLOUT;
        return events;
    }
}
