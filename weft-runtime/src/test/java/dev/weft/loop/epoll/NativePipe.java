package dev.weft.loop.epoll;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.weft.loop.nio.PollerContract;
import dev.weft.loop.spi.Poller;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/** A pipe(2) made with raw descriptors, for the pollers that watch descriptors. */
final class NativePipe implements PollerContract.TestPipe, AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle PIPE2 = handle("pipe2", FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle WRITE = handle("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle FCNTL = handle("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int F_GETFD = 1;

    final int source;
    final int sink;

    private NativePipe(int source, int sink) {
        this.source = source;
        this.sink = sink;
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    static NativePipe open() throws IOException {
        try (var arena = Arena.ofConfined()) {
            var fds = arena.allocate(JAVA_INT, 2);
            if ((int) PIPE2.invokeExact(fds.address(), O_NONBLOCK | O_CLOEXEC) != 0) throw new IOException("pipe2 failed");
            return new NativePipe(fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1));
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public Registration register(Poller poller, int ops, Readiness handler) { return poller.register(source, ops, handler); }

    @Override
    public void send(int bytes) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var data = arena.allocate(Math.max(bytes, 1));
            if ((long) WRITE.invokeExact(sink, data.address(), (long) bytes) != bytes) throw new IOException("short pipe write");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public boolean isSourceOpen() { return isOpen(source); }

    static boolean isOpen(int fd) {
        try {
            return (int) FCNTL.invokeExact(fd, F_GETFD) >= 0;
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (isOpen(source)) close(source);
        close(sink);
    }
}
