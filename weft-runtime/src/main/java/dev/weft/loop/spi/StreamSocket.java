package dev.weft.loop.spi;

import dev.weft.loop.EventLoop;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A connected, non-blocking TCP socket of one {@link Transport}: what a
 * {@link dev.weft.net.Connection} reads and writes through. Loop thread only (the loop it is
 * registered on), except the address getters.
 *
 * <p>Errors: a reset, a broken pipe or any other failure of the kernel call is an
 * {@link IOException} whose message is the kernel's reason ("Connection reset by peer",
 * "Broken pipe"), the same on every transport; "the socket's buffer is full/empty now" is never
 * an error but a return of 0.
 */
public interface StreamSocket {
    /**
     * Watches this socket on {@code loop}'s poller; registering it again on the same loop replaces
     * the handler and the interest and returns the same registration.
     */
    Registration register(EventLoop loop, int interestOps, Readiness handler);

    /** Reads into {@code dst}: bytes read, 0 if none are there now, -1 at the peer's FIN. */
    int read(ByteBuffer dst) throws IOException;

    /** One gathering write of {@code srcs[offset..offset+length)}: bytes written, 0 if the socket is full. */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /** Sends {@code count} bytes of {@code file} from {@code position} (sendfile where it can): bytes sent, 0 if full. */
    long transferFrom(FileSource file, long position, long count) throws IOException;

    /** Completes a connect started by {@link Transport#connect}: true once connected, false if still under way. */
    boolean finishConnect() throws IOException;

    /** Sends FIN; reads go on. */
    void shutdownOutput() throws IOException;

    /** Makes {@link #close()} send RST and drop unsent bytes (SO_LINGER 0). */
    void resetOnClose() throws IOException;

    void setNoDelay(boolean on) throws IOException;

    /**
     * Holds partial segments back until uncorked (Linux TCP_CORK), so that a response head and the
     * file sent after it leave in full packets. Returns false, doing nothing, where the transport
     * has no such option.
     */
    boolean setCork(boolean on) throws IOException;

    /** The kernel's view of the connection's path, or null where the transport cannot ask (java.nio). */
    default TcpInfo tcpInfo() { return null; }

    /** Any thread. */
    InetSocketAddress remoteAddress();

    /** Any thread. */
    InetSocketAddress localAddress();

    /** Closes the descriptor (ending its registration). Idempotent; never throws. */
    void close();
}
