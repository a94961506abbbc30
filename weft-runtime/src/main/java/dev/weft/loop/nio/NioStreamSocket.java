package dev.weft.loop.nio;

import dev.weft.loop.EventLoop;
import dev.weft.loop.spi.FileSource;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import dev.weft.loop.spi.StreamSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A {@link SocketChannel} as a {@link StreamSocket}. */
final class NioStreamSocket implements StreamSocket {
    private final SocketChannel channel;
    private boolean connected;             // finishConnect has nothing left to do
    // The JDK keeps both in the channel already, and throws once it is closed: kept here as well,
    // at the cost of two references, so that a closed connection can still say whose it was.
    private volatile InetSocketAddress remote;
    private volatile InetSocketAddress local;

    NioStreamSocket(SocketChannel channel) {
        this.channel = channel;
        this.connected = channel.isConnected();
        if (connected) remoteAddress();
    }

    void connectedAtOnce() {
        connected = true;
        remoteAddress();
    }

    @Override
    public Registration register(EventLoop loop, int interestOps, Readiness handler) {
        return loop.register(channel, interestOps, handler);
    }

    @Override public int read(ByteBuffer dst) throws IOException { return channel.read(dst); }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return channel.write(srcs, offset, length);
    }

    @Override
    public long transferFrom(FileSource file, long position, long count) throws IOException {
        return file.channel().transferTo(position, count, channel);
    }

    @Override
    public boolean finishConnect() throws IOException {
        if (connected) return true;
        connected = channel.finishConnect();
        if (connected) remoteAddress();
        return connected;
    }

    @Override public void shutdownOutput() throws IOException { channel.shutdownOutput(); }

    @Override public void resetOnClose() throws IOException { channel.setOption(StandardSocketOptions.SO_LINGER, 0); }

    @Override public void setNoDelay(boolean on) throws IOException { channel.setOption(StandardSocketOptions.TCP_NODELAY, on); }

    @Override public boolean setCork(boolean on) { return false; }

    @Override
    public InetSocketAddress remoteAddress() {
        var address = remote;
        if (address == null) {
            try {
                remote = address = (InetSocketAddress) channel.getRemoteAddress();
            } catch (IOException e) {
                return null;                   // closed before anyone asked
            }
        }
        return address;
    }

    @Override
    public InetSocketAddress localAddress() {
        var address = local;
        if (address == null) {
            try {
                local = address = (InetSocketAddress) channel.getLocalAddress();
            } catch (IOException e) {
                return null;
            }
        }
        return address;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the descriptor is released either way
        }
    }

    @Override public String toString() { return channel.toString(); }
}
