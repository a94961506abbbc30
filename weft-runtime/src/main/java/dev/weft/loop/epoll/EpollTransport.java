package dev.weft.loop.epoll;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.weft.loop.spi.ListenSocket;
import dev.weft.loop.spi.Poller;
import dev.weft.loop.spi.StreamSocket;
import dev.weft.loop.spi.Transport;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.net.InetSocketAddress;
import java.util.Locale;

/**
 * Linux epoll, edge-triggered, through java.lang.foreign: no JNI library to build or ship, no
 * SocketChannel per connection. See {@link EpollPoller} and {@link EpollStreamSocket}.
 */
public final class EpollTransport implements Transport {
    public static final EpollTransport INSTANCE = new EpollTransport();

    private EpollTransport() {}

    /**
     * Null if epoll can run here, else why not: not Linux, an architecture whose layouts are not
     * known here, native access not granted to Weft's module, or the calls failing to link.
     */
    public static String unavailability() { return Availability.WHY_NOT; }

    private static final class Availability {
        static final String WHY_NOT = check();

        private static String check() {
            var os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (!os.startsWith("linux")) return "not Linux (" + os + ")";
            var arch = System.getProperty("os.arch", "");
            if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("aarch64")) {
                return "no struct layouts for " + arch + " (x86-64 and aarch64 only)";
            }
            var module = EpollTransport.class.getModule();
            if (module.isNamed() && !module.isNativeAccessEnabled()) {
                return "native access is not enabled for module " + module.getName()
                        + " (start java with --enable-native-access=" + module.getName() + ")";
            }
            try {
                var poller = EpollPoller.open();
                poller.close();
                warmUp();
                return null;
            } catch (Throwable e) {
                return "epoll could not start: " + e;
            }
        }
    }

    /**
     * Loads now what the failure paths need later: out of descriptors, a class cannot be loaded
     * from a directory or jar (that takes a descriptor too), so the EMFILE error itself would
     * fail to be built, and its back-off never start.
     */
    private static void warmUp() throws ClassNotFoundException {
        Errors.message(LibC.EMFILE);
        Errors.message(LibC.ENFILE);
        Errors.io("accept", LibC.EMFILE);
        Errors.socket(LibC.EAGAIN);
        for (var name : new String[] {"EpollStreamSocket", "SocketAddresses", "EpollListenSocket"}) {
            Class.forName(EpollTransport.class.getPackageName() + "." + name, true, EpollTransport.class.getClassLoader());
        }
    }

    @Override public String name() { return "epoll"; }

    @Override public Poller openPoller() throws IOException { return EpollPoller.open(); }

    @Override public boolean supportsReusePort() { return true; }

    @Override
    public ListenSocket listen(InetSocketAddress address, int backlog, boolean reusePort) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var errno = arena.allocate(LibC.ERRNO_LAYOUT);
            var sockaddr = arena.allocate(LibC.SOCKADDR_MAX, 8);
            var value = arena.allocateFrom(JAVA_INT, 1);
            int family = SocketAddresses.family(address);
            int fd = LibC.socket(errno, family);
            if (fd < 0) throw Errors.io("socket", LibC.errno(errno));
            try {
                option(errno, fd, LibC.SOL_SOCKET, LibC.SO_REUSEADDR, value);
                if (reusePort) option(errno, fd, LibC.SOL_SOCKET, LibC.SO_REUSEPORT, value);
                if (family == LibC.AF_INET6) {
                    value.set(JAVA_INT, 0, 0);                    // dual stack, as java.nio binds "::"
                    option(errno, fd, LibC.IPPROTO_IPV6, LibC.IPV6_V6ONLY, value);
                }
                int length = SocketAddresses.write(address, sockaddr);
                if (LibC.bind(errno, fd, sockaddr.address(), length) < 0) throw Errors.io("bind", LibC.errno(errno));
                if (LibC.listen(errno, fd, backlog < 1 ? 4096 : backlog) < 0) throw Errors.io("listen", LibC.errno(errno));
                var bound = SocketAddresses.local(fd);
                // Report the address as asked (a wildcard stays one), with the port the kernel chose.
                return new EpollListenSocket(fd, new InetSocketAddress(address.getAddress(), bound.getPort()));
            } catch (IOException | RuntimeException e) {
                LibC.closeQuietly(fd);
                throw e;
            }
        }
    }

    private static void option(java.lang.foreign.MemorySegment errno, int fd, int level, int name,
                               java.lang.foreign.MemorySegment value) throws IOException {
        if (LibC.setsockopt(errno, fd, level, name, value.address(), 4) < 0) throw Errors.io("setsockopt", LibC.errno(errno));
    }

    @Override
    public StreamSocket connect(InetSocketAddress remote) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var errno = arena.allocate(LibC.ERRNO_LAYOUT);
            var sockaddr = arena.allocate(LibC.SOCKADDR_MAX, 8);
            int fd = LibC.socket(errno, SocketAddresses.family(remote));
            if (fd < 0) throw Errors.io("socket", LibC.errno(errno));
            int length = SocketAddresses.write(remote, sockaddr);
            if (LibC.connect(errno, fd, sockaddr.address(), length) < 0 && LibC.errno(errno) != LibC.EINPROGRESS) {
                int error = LibC.errno(errno);
                LibC.closeQuietly(fd);
                throw Errors.io("connect to " + remote, error);
            }
            return EpollStreamSocket.connecting(fd, remote);
        }
    }

    @Override public String toString() { return "epoll"; }
}
