package dev.weft.loop.epoll;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The native memory one thread's system calls use: errno capture, an iovec array with its msghdr,
 * a sockaddr, an option value, the epoll event array. One per poller, used by its loop thread
 * only (so no two calls share it at once); off the loops, a caller makes its own.
 *
 * <p>The memory is freed by the garbage collector ({@link Arena#ofAuto()}) once nothing reaches
 * this object: the sockets of a poller keep it reachable, so a raw address handed to the kernel
 * can never point at memory already freed, even after the poller closed.
 */
final class Scratch {
    static final int IOV_MAX = 64;                     // the gathering write's width (Linux allows 1024)
    static final int HEAP_COPY = 64 << 10;             // heap buffers are copied here to be written

    final MemorySegment errno;
    final MemorySegment iov;
    final MemorySegment msghdr;
    final MemorySegment sockaddr;
    final MemorySegment socklen;
    final MemorySegment option;                        // an int, a struct linger, a struct tcp_info
    final MemorySegment eventfdValue;
    private ByteBuffer heapCopy;                       // made when a heap buffer is first written

    Scratch() {
        var arena = Arena.ofAuto();
        errno = arena.allocate(LibC.ERRNO_LAYOUT);
        iov = arena.allocate(IOV_MAX * LibC.IOVEC_SIZE, 8);
        msghdr = arena.allocate(LibC.MSGHDR_SIZE, 8);
        msghdr.set(java.lang.foreign.ValueLayout.JAVA_LONG, LibC.MSGHDR_IOV, iov.address());
        sockaddr = arena.allocate(LibC.SOCKADDR_MAX, 8);
        socklen = arena.allocate(4, 4);
        option = arena.allocate(256, 8);
        eventfdValue = arena.allocate(8, 8);
    }

    ByteBuffer heapCopy() {
        if (heapCopy == null) heapCopy = ByteBuffer.allocateDirect(HEAP_COPY);
        return heapCopy;
    }

    int errnoValue() { return LibC.errno(errno); }
}
