package dev.weft.loop.epoll;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;

/** {@code struct sockaddr_in} and {@code sockaddr_in6} to and from {@link InetSocketAddress}. */
final class SocketAddresses {
    private static final java.lang.foreign.ValueLayout.OfShort PORT = JAVA_SHORT.withOrder(ByteOrder.BIG_ENDIAN);

    private SocketAddresses() {}

    static int family(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? LibC.AF_INET : LibC.AF_INET6;
    }

    /** Writes {@code address} into {@code into}; returns its length. */
    static int write(InetSocketAddress address, MemorySegment into) {
        into.fill((byte) 0);
        byte[] ip = address.getAddress().getAddress();
        into.set(PORT, 2, (short) address.getPort());
        if (ip.length == 4) {
            into.set(JAVA_SHORT, 0, (short) LibC.AF_INET);
            MemorySegment.copy(ip, 0, into, JAVA_BYTE, 4, 4);
            return 16;
        }
        into.set(JAVA_SHORT, 0, (short) LibC.AF_INET6);
        MemorySegment.copy(ip, 0, into, JAVA_BYTE, 8, 16);
        if (address.getAddress() instanceof Inet6Address v6) into.set(JAVA_INT, 24, v6.getScopeId());
        return 28;
    }

    /**
     * The raw form a socket keeps: for IPv4 the four address bytes and the port in one long
     * (no object at all), for IPv6 a byte array; turned into an InetSocketAddress only when asked.
     */
    static Object raw(MemorySegment sockaddr) {
        int family = sockaddr.get(JAVA_SHORT, 0);
        int port = Short.toUnsignedInt(sockaddr.get(PORT, 2));
        if (family == LibC.AF_INET) return packed(sockaddr.get(JAVA_INT.withOrder(ByteOrder.BIG_ENDIAN), 4), port);
        byte[] ip = new byte[16];
        MemorySegment.copy(sockaddr, JAVA_BYTE, 8, ip, 0, 16);
        if (isV4Mapped(ip)) {
            int v4 = ((ip[12] & 0xff) << 24) | ((ip[13] & 0xff) << 16) | ((ip[14] & 0xff) << 8) | (ip[15] & 0xff);
            return packed(v4, port);
        }
        byte[] raw = new byte[22];
        System.arraycopy(ip, 0, raw, 0, 16);
        int scope = sockaddr.get(JAVA_INT, 24);
        raw[16] = (byte) (port >>> 8);
        raw[17] = (byte) port;
        raw[18] = (byte) (scope >>> 24);
        raw[19] = (byte) (scope >>> 16);
        raw[20] = (byte) (scope >>> 8);
        raw[21] = (byte) scope;
        return raw;
    }

    /** An IPv4 address and port in the low 48 bits of a long; the top bit marks it as set. */
    static long packed(int ipv4, int port) { return (1L << 63) | ((ipv4 & 0xffffffffL) << 16) | port; }

    static InetSocketAddress fromPacked(long packed) {
        int ip = (int) (packed >>> 16);
        byte[] bytes = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), (int) (packed & 0xffff));
        } catch (UnknownHostException e) {
            throw new AssertionError(e);                       // four bytes are always an address
        }
    }

    static InetSocketAddress fromRaw(byte[] raw) {
        byte[] ip = java.util.Arrays.copyOf(raw, 16);
        int port = ((raw[16] & 0xff) << 8) | (raw[17] & 0xff);
        int scope = ((raw[18] & 0xff) << 24) | ((raw[19] & 0xff) << 16) | ((raw[20] & 0xff) << 8) | (raw[21] & 0xff);
        try {
            return new InetSocketAddress(scope == 0 ? InetAddress.getByAddress(ip) : Inet6Address.getByAddress(null, ip, scope), port);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The address a socket is bound to (getsockname), from any thread. */
    static InetSocketAddress local(int fd) throws java.io.IOException {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            var errno = arena.allocate(LibC.ERRNO_LAYOUT);
            var sockaddr = arena.allocate(LibC.SOCKADDR_MAX, 8);
            var length = arena.allocateFrom(JAVA_INT, LibC.SOCKADDR_MAX);
            if (LibC.getsockname(errno, fd, sockaddr.address(), length.address()) < 0) {
                throw Errors.io("getsockname", LibC.errno(errno));
            }
            return decode(sockaddr);
        }
    }

    static InetSocketAddress decode(MemorySegment sockaddr) {
        Object raw = raw(sockaddr);
        return raw instanceof Long packed ? fromPacked(packed) : fromRaw((byte[]) raw);
    }

    private static boolean isV4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) if (ip[i] != 0) return false;
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }
}
