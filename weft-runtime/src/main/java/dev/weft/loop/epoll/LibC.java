package dev.weft.loop.epoll;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The Linux system calls the epoll transport makes, as java.lang.foreign downcalls into the C
 * library. Each returns what the kernel returned; on -1 the call's errno is in the
 * {@link Errno} state passed first (captured by the linker right after the call, before the JVM
 * could overwrite it).
 *
 * <p>Addresses are passed as {@code long}s rather than {@link MemorySegment}s: the buffers are
 * native memory already (direct buffers, segments of an arena) and a long makes no object per
 * call. Calls that never block on a non-blocking descriptor are linked "critical": no thread
 * state transition around them, which is most of a downcall's cost for a 100 ns system call.
 * epoll_wait, close and connect-free blocking calls are not.
 *
 * <p>Constants are the generic Linux ABI, the same on x86-64 and aarch64; the one layout that
 * differs is {@code struct epoll_event}, packed (12 bytes) on x86-64 only.
 */
final class LibC {
    private LibC() {}

    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final int ENOENT = 2;
    static final int EINPROGRESS = 115;
    static final int EMFILE = 24;
    static final int ENFILE = 23;
    static final int ECONNABORTED = 103;
    static final int EPROTO = 71;

    static final int AF_INET = 2;
    static final int AF_INET6 = 10;
    static final int SOCK_STREAM = 1;
    static final int SOCK_NONBLOCK = 0x800;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SO_REUSEADDR = 2;
    static final int SO_ERROR = 4;
    static final int SO_LINGER = 13;
    static final int SO_REUSEPORT = 15;
    static final int IPPROTO_TCP = 6;
    static final int IPPROTO_IPV6 = 41;
    static final int IPV6_V6ONLY = 26;
    static final int TCP_NODELAY = 1;
    static final int TCP_CORK = 3;
    static final int TCP_INFO = 11;
    static final int SHUT_WR = 1;
    static final int MSG_NOSIGNAL = 0x4000;
    static final int O_RDONLY_CLOEXEC = 0x80000;
    static final long STAT_SIZE = 256;                       // 144 on x86-64, 128 on aarch64

    static final int EPOLLIN = 0x1;
    static final int EPOLLOUT = 0x4;
    static final int EPOLLERR = 0x8;
    static final int EPOLLHUP = 0x10;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLLET = 1 << 31;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;
    static final int EPOLL_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final int EFD_CLOEXEC = 0x80000;

    /** {@code struct epoll_event}: packed on x86-64 (the kernel declares it so there), natural elsewhere. */
    static final boolean EPOLL_EVENT_PACKED = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch"));
    static final long EPOLL_EVENT_SIZE = EPOLL_EVENT_PACKED ? 12 : 16;
    static final long EPOLL_EVENT_DATA = EPOLL_EVENT_PACKED ? 4 : 8;
    static final long IOVEC_SIZE = 16;
    static final long MSGHDR_SIZE = 56;
    static final long MSGHDR_IOV = 16;
    static final long MSGHDR_IOVLEN = 24;
    static final int SOCKADDR_MAX = 28;                      // sockaddr_in6

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
    static final StructLayout ERRNO_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO_VALUE =
            ERRNO_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    // ssize_t read(int fd, void *buf, size_t count)
    private static final MethodHandle READ = fast("read", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    // ssize_t send(int fd, const void *buf, size_t len, int flags)
    private static final MethodHandle SEND = fast("send", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    // ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
    private static final MethodHandle SENDMSG = fast("sendmsg", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    // int accept4(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags)
    private static final MethodHandle ACCEPT4 = fast("accept4", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    // int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)
    private static final MethodHandle EPOLL_CTL = fast("epoll_ctl", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    // int setsockopt(int fd, int level, int name, const void *value, socklen_t len)
    private static final MethodHandle SETSOCKOPT = fast("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    // int getsockopt(int fd, int level, int name, void *value, socklen_t *len)
    private static final MethodHandle GETSOCKOPT = fast("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    // ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)
    private static final MethodHandle SENDFILE = fast("sendfile", JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    // int shutdown(int fd, int how)
    private static final MethodHandle SHUTDOWN = fast("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    // ssize_t write(int fd, const void *buf, size_t count): the eventfd wake-up, from any thread, errno unwanted
    private static final MethodHandle WRITE = LINKER.downcallHandle(find("write"),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.critical(false));

    // int epoll_wait(int epfd, struct epoll_event *events, int maxevents, int timeout): blocks
    private static final MethodHandle EPOLL_WAIT = slow("epoll_wait", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
    // int close(int fd): may flush, so not critical
    private static final MethodHandle CLOSE = slow("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE_QUIETLY = LINKER.downcallHandle(find("close"), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE1 = slow("epoll_create1", JAVA_INT, JAVA_INT);
    private static final MethodHandle EVENTFD = slow("eventfd", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SOCKET = slow("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = slow("bind", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle LISTEN = slow("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle CONNECT = slow("connect", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle GETSOCKNAME = slow("getsockname", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    // int open(const char *path, int flags, ...): variadic, called with no mode (no O_CREAT)
    private static final MethodHandle OPEN = LINKER.downcallHandle(find("open"),
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT), ERRNO, Linker.Option.firstVariadicArg(2));
    // int fstat(int fd, struct stat *st): st_dev at 0 and st_ino at 8, 64-bit each, on x86-64 and aarch64
    private static final MethodHandle FSTAT = slow("fstat", JAVA_INT, JAVA_INT, JAVA_LONG);
    // char *strerror_r (GNU variant): returns the message, which may or may not be in buf
    private static final MethodHandle STRERROR_R = LINKER.downcallHandle(find("strerror_r"),
            FunctionDescriptor.of(ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)),
                    JAVA_INT, JAVA_LONG, JAVA_LONG));

    private static MemorySegment find(String name) {
        return LINKER.defaultLookup().find(name).orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in the C library"));
    }

    private static MethodHandle fast(String name, ValueLayout result, ValueLayout... args) {
        return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, args), ERRNO, Linker.Option.critical(false));
    }

    private static MethodHandle slow(String name, ValueLayout result, ValueLayout... args) {
        return LINKER.downcallHandle(find(name), FunctionDescriptor.of(result, args), ERRNO);
    }

    static int errno(MemorySegment state) { return (int) ERRNO_VALUE.get(state, 0L); }

    // Every wrapper below rethrows what invokeExact declares as an Error: a linkage failure is a bug.

    static long read(MemorySegment errno, int fd, long address, long count) {
        try {
            return (long) READ.invokeExact(errno, fd, address, count);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static long send(MemorySegment errno, int fd, long address, long count) {
        try {
            return (long) SEND.invokeExact(errno, fd, address, count, MSG_NOSIGNAL);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static long sendmsg(MemorySegment errno, int fd, long msghdr) {
        try {
            return (long) SENDMSG.invokeExact(errno, fd, msghdr, MSG_NOSIGNAL);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static long sendfile(MemorySegment errno, int out, int in, long offset, long count) {
        try {
            return (long) SENDFILE.invokeExact(errno, out, in, offset, count);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int open(MemorySegment errno, long path, int flags) {
        try {
            return (int) OPEN.invokeExact(errno, path, flags);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int fstat(MemorySegment errno, int fd, long stat) {
        try {
            return (int) FSTAT.invokeExact(errno, fd, stat);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int accept4(MemorySegment errno, int fd, long sockaddr, long addrlen) {
        try {
            return (int) ACCEPT4.invokeExact(errno, fd, sockaddr, addrlen, SOCK_NONBLOCK | SOCK_CLOEXEC);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int epollCtl(MemorySegment errno, int epfd, int op, int fd, long event) {
        try {
            return (int) EPOLL_CTL.invokeExact(errno, epfd, op, fd, event);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int epollWait(MemorySegment errno, int epfd, long events, int max, int timeoutMillis) {
        try {
            return (int) EPOLL_WAIT.invokeExact(errno, epfd, events, max, timeoutMillis);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int setsockopt(MemorySegment errno, int fd, int level, int name, long value, int length) {
        try {
            return (int) SETSOCKOPT.invokeExact(errno, fd, level, name, value, length);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int getsockopt(MemorySegment errno, int fd, int level, int name, long value, long length) {
        try {
            return (int) GETSOCKOPT.invokeExact(errno, fd, level, name, value, length);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int shutdown(MemorySegment errno, int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(errno, fd, how);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static long write(int fd, long address, long count) {
        try {
            return (long) WRITE.invokeExact(fd, address, count);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int close(MemorySegment errno, int fd) {
        try {
            return (int) CLOSE.invokeExact(errno, fd);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    /** close(2) from any thread, its result ignored: Linux releases the descriptor even when close reports an error. */
    static void closeQuietly(int fd) {
        try {
            int ignored = (int) CLOSE_QUIETLY.invokeExact(fd);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int epollCreate1(MemorySegment errno) {
        try {
            return (int) EPOLL_CREATE1.invokeExact(errno, EPOLL_CLOEXEC);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int eventfd(MemorySegment errno) {
        try {
            return (int) EVENTFD.invokeExact(errno, 0, EFD_NONBLOCK | EFD_CLOEXEC);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int socket(MemorySegment errno, int family) {
        try {
            return (int) SOCKET.invokeExact(errno, family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int bind(MemorySegment errno, int fd, long sockaddr, int length) {
        try {
            return (int) BIND.invokeExact(errno, fd, sockaddr, length);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int listen(MemorySegment errno, int fd, int backlog) {
        try {
            return (int) LISTEN.invokeExact(errno, fd, backlog);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int connect(MemorySegment errno, int fd, long sockaddr, int length) {
        try {
            return (int) CONNECT.invokeExact(errno, fd, sockaddr, length);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    static int getsockname(MemorySegment errno, int fd, long sockaddr, long length) {
        try {
            return (int) GETSOCKNAME.invokeExact(errno, fd, sockaddr, length);
        } catch (Throwable e) {
            throw fault(e);
        }
    }

    /** The kernel's words for {@code errno} ("Connection reset by peer"), as the JDK reports them too. */
    static String strerror(int errno) {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var buffer = arena.allocate(256);
            var message = (MemorySegment) STRERROR_R.invokeExact(errno, buffer.address(), 256L);
            return message.getString(0);
        } catch (Throwable e) {
            return "errno " + errno;
        }
    }

    private static Error fault(Throwable e) {
        if (e instanceof Error error) throw error;
        if (e instanceof RuntimeException runtime) throw runtime;
        return new AssertionError("a downcall threw a checked exception", e);
    }
}
