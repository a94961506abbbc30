package dev.weft.loop.epoll;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.weft.loop.EventLoop;
import dev.weft.loop.spi.FileSource;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import dev.weft.loop.spi.StreamSocket;
import dev.weft.loop.spi.TcpInfo;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A TCP socket of the epoll transport: a descriptor and this object, which is also its
 * registration (one object per connection where java.nio has a channel, its locks, a file
 * descriptor object, a selection key and two address pairs). The peer's address is kept raw
 * (IPv4 in a long) and made an {@link InetSocketAddress} only when someone asks.
 *
 * <p>Every call on a registered socket runs on its loop and uses that loop's {@link Scratch}.
 * Writes go out with MSG_NOSIGNAL: a peer gone away is an EPIPE return, never a signal.
 */
final class EpollStreamSocket extends EpollRegistration implements StreamSocket {
    private static final long MAX_MAP = 1 << 20;          // a file is mapped and sent in spans of at most 1 MiB

    private long remotePacked;                             // IPv4 peer, else 0
    private byte[] remoteRaw;                              // IPv6 peer, else null
    private volatile InetSocketAddress remote;
    private volatile InetSocketAddress local;
    private boolean connecting;
    private volatile boolean closed;

    EpollStreamSocket(int fd, Object rawRemote) {
        super(fd);
        if (rawRemote instanceof Long packed) remotePacked = packed;
        else remoteRaw = (byte[]) rawRemote;
    }

    static EpollStreamSocket connecting(int fd, InetSocketAddress remote) {
        var socket = new EpollStreamSocket(fd, null);
        socket.remote = remote;
        socket.connecting = true;
        return socket;
    }

    @Override
    public Registration register(EventLoop loop, int interestOps, Readiness handler) {
        if (!(loop.poller() instanceof EpollPoller epoll)) {
            throw new IllegalStateException("an epoll socket cannot join " + loop + ", which polls with " + loop.transport().name());
        }
        if (closed) throw new IllegalStateException("socket closed");
        epoll.registerSocket(this, interestOps, handler);
        return this;
    }

    private Scratch scratch() {
        var poller = this.poller;
        if (poller == null) throw new IllegalStateException("I/O on a socket not registered with a loop");
        return poller.scratch;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int want = dst.remaining();
        if (want == 0) return 0;
        var scratch = scratch();
        long n;
        if (dst.isDirect()) {
            n = LibC.read(scratch.errno, fd, MemorySegment.ofBuffer(dst).address(), want);
            if (n > 0) dst.position(dst.position() + (int) n);
        } else {
            var copy = scratch.heapCopy().clear();
            n = LibC.read(scratch.errno, fd, MemorySegment.ofBuffer(copy).address(), Math.min(want, copy.capacity()));
            if (n > 0) dst.put(copy.limit((int) n));
        }
        if (n > 0) {
            // Short of what was asked: the socket is empty now, and any byte arriving later
            // raises a new edge, so no read that could only say EAGAIN. Except after the peer's
            // FIN: its one edge may have come with these bytes, and the EOF is still to be read.
            if (n < want && !hangup) consumed(READABLE);
            return (int) n;
        }
        if (n == 0) return -1;
        return (int) failed(scratch, READABLE);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        var scratch = scratch();
        var iov = scratch.iov;
        ByteBuffer heapCopy = null;
        int count = 0;
        long offered = 0;
        long firstAddress = 0;
        for (int i = offset; i < offset + length && count < Scratch.IOV_MAX; i++) {
            var src = srcs[i];
            int remaining = src.remaining();
            if (remaining == 0) continue;
            long address;
            int n = remaining;
            if (src.isDirect()) {
                address = MemorySegment.ofBuffer(src).address();
            } else {
                if (heapCopy == null) heapCopy = scratch.heapCopy().clear();
                n = Math.min(remaining, heapCopy.remaining());
                if (n == 0) break;
                address = MemorySegment.ofBuffer(heapCopy).address();
                heapCopy.put(heapCopy.position(), src, src.position(), n).position(heapCopy.position() + n);
            }
            if (count == 0) firstAddress = address;
            iov.set(JAVA_LONG, count * LibC.IOVEC_SIZE, address);
            iov.set(JAVA_LONG, count * LibC.IOVEC_SIZE + 8, n);
            count++;
            offered += n;
            if (n < remaining) break;
        }
        if (count == 0) return 0;
        long written;
        if (count == 1) {
            written = LibC.send(scratch.errno, fd, firstAddress, offered);
        } else {
            scratch.msghdr.set(JAVA_LONG, LibC.MSGHDR_IOVLEN, count);
            written = LibC.sendmsg(scratch.errno, fd, scratch.msghdr.address());
        }
        written = afterSend(scratch, written, offered);
        long left = written;
        for (int i = offset; i < offset + length && left > 0; i++) {
            var src = srcs[i];
            int step = (int) Math.min(left, src.remaining());
            src.position(src.position() + step);
            left -= step;
        }
        return written;
    }

    /**
     * sendfile(2) from the descriptor {@link NativeFiles} finds for the file: page cache to socket
     * with no copy through user space. When it cannot find one (an unknown origin, a file that is
     * no longer the one the channel has open), the span is mapped and sent from the mapping.
     */
    @Override
    public long transferFrom(FileSource file, long position, long count) throws IOException {
        int in = NativeFiles.descriptor(file);
        if (in < 0) return transferMapped(file.channel(), position, count);
        var scratch = scratch();
        scratch.option.set(JAVA_LONG, 0, position);            // off_t *offset: the file position is left alone
        long written = LibC.sendfile(scratch.errno, fd, in, scratch.option.address(), count);
        return afterSend(scratch, written, count);
    }

    private long transferMapped(FileChannel file, long position, long count) throws IOException {
        long size = file.size();
        long n = Math.min(Math.min(count, MAX_MAP), size - position);
        if (n <= 0) return 0;
        var scratch = scratch();
        long written;
        try (var arena = Arena.ofConfined()) {
            var mapped = file.map(FileChannel.MapMode.READ_ONLY, position, n, arena);
            written = LibC.send(scratch.errno, fd, mapped.address(), n);
        }
        return afterSend(scratch, written, n);
    }

    /**
     * A send's result: bytes written, 0 when the socket is full. Short of what was offered, the
     * send buffer is full: write readiness is consumed, and EPOLLOUT comes when it drains.
     */
    private long afterSend(Scratch scratch, long written, long offered) throws IOException {
        if (written < 0) return failed(scratch, WRITABLE);
        if (written < offered) consumed(WRITABLE);
        return written;
    }

    /**
     * A call that returned -1: 0 when the socket is not ready now (EAGAIN: {@code readiness} is
     * consumed, the next edge brings it back; EINTR: still marked ready, so tried again next
     * round), else the failure as java.nio words it.
     */
    private long failed(Scratch scratch, int readiness) throws IOException {
        int errno = scratch.errnoValue();
        if (errno == LibC.EAGAIN) {
            consumed(readiness);
            return 0;
        }
        if (errno == LibC.EINTR) return 0;
        throw Errors.socket(errno);
    }

    @Override
    public boolean finishConnect() throws IOException {
        if (!connecting) return true;
        if (poller == null) return false;                 // not watched yet: the kernel has not said
        var scratch = scratch();
        scratch.socklen.set(JAVA_INT, 0, 4);
        if (LibC.getsockopt(scratch.errno, fd, LibC.SOL_SOCKET, LibC.SO_ERROR, scratch.option.address(),
                scratch.socklen.address()) < 0) {
            throw Errors.socket(scratch.errnoValue());
        }
        int error = scratch.option.get(JAVA_INT, 0);
        if (error != 0) throw Errors.io("connect to " + remote, error);
        if ((ready & WRITABLE) == 0) return false;        // not reported writable yet: still under way
        connecting = false;
        return true;
    }

    @Override
    public void shutdownOutput() throws IOException {
        var scratch = scratch();
        if (LibC.shutdown(scratch.errno, fd, LibC.SHUT_WR) < 0) throw Errors.socket(scratch.errnoValue());
    }

    @Override
    public void resetOnClose() throws IOException {
        var scratch = scratch();
        scratch.option.set(JAVA_INT, 0, 1);               // struct linger { l_onoff = 1, l_linger = 0 }
        scratch.option.set(JAVA_INT, 4, 0);
        setOption(scratch, LibC.SOL_SOCKET, LibC.SO_LINGER, 8);
    }

    @Override
    public void setNoDelay(boolean on) throws IOException {
        var scratch = scratch();
        scratch.option.set(JAVA_INT, 0, on ? 1 : 0);
        setOption(scratch, LibC.IPPROTO_TCP, LibC.TCP_NODELAY, 4);
    }

    @Override
    public boolean setCork(boolean on) throws IOException {
        var scratch = scratch();
        scratch.option.set(JAVA_INT, 0, on ? 1 : 0);
        setOption(scratch, LibC.IPPROTO_TCP, LibC.TCP_CORK, 4);
        return true;
    }

    @Override
    public TcpInfo tcpInfo() {
        var scratch = scratch();
        scratch.socklen.set(JAVA_INT, 0, 232);
        if (LibC.getsockopt(scratch.errno, fd, LibC.IPPROTO_TCP, LibC.TCP_INFO, scratch.option.address(),
                scratch.socklen.address()) < 0) {
            return null;
        }
        var info = scratch.option;
        // struct tcp_info (linux/tcp.h): offsets fixed since 2.6, later fields appended.
        return new TcpInfo(info.get(JAVA_INT, 68), info.get(JAVA_INT, 72), info.get(JAVA_INT, 80),
                info.get(JAVA_INT, 24), info.get(JAVA_INT, 100), Integer.toUnsignedLong(info.get(JAVA_INT, 144)));
    }

    private void setOption(Scratch scratch, int level, int name, int length) throws SocketException {
        if (LibC.setsockopt(scratch.errno, fd, level, name, scratch.option.address(), length) < 0) {
            throw (SocketException) Errors.socket(scratch.errnoValue());
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        var address = remote;
        if (address == null) {
            if (remotePacked != 0) address = SocketAddresses.fromPacked(remotePacked);
            else if (remoteRaw != null) address = SocketAddresses.fromRaw(remoteRaw);
            remote = address;
        }
        return address;
    }

    @Override
    public InetSocketAddress localAddress() {
        var address = local;
        if (address == null && !closed) {
            try {
                local = address = SocketAddresses.local(fd);
            } catch (IOException e) {
                return null;                                // closed meanwhile
            }
        }
        return address;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        dropForClose();
        LibC.closeQuietly(fd);
    }

    @Override public String toString() { return "epoll socket " + fd; }
}
