package dev.weft.loop.nio;

import dev.weft.loop.EventLoop;
import dev.weft.loop.spi.ListenSocket;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import dev.weft.loop.spi.StreamSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/** A {@link ServerSocketChannel} as a {@link ListenSocket}. */
final class NioListenSocket implements ListenSocket {
    private final ServerSocketChannel channel;
    private final InetSocketAddress localAddress;

    NioListenSocket(ServerSocketChannel channel) throws IOException {
        this.channel = channel;
        this.localAddress = (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public Registration register(EventLoop loop, int interestOps, Readiness handler) {
        return loop.register(channel, interestOps, handler);
    }

    @Override
    public StreamSocket accept() throws IOException {
        var accepted = channel.accept();
        if (accepted == null) return null;
        try {
            accepted.configureBlocking(false);
            return new NioStreamSocket(accepted);
        } catch (IOException e) {
            accepted.close();
            throw e;
        }
    }

    @Override public InetSocketAddress localAddress() { return localAddress; }

    @Override public boolean isOpen() { return channel.isOpen(); }

    /** A channel closed while registered keeps its descriptor until its selector drops the key. */
    @Override public boolean isReleasePending() { return channel.isRegistered(); }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // released either way
        }
    }

    @Override public String toString() { return "listen " + localAddress; }
}
