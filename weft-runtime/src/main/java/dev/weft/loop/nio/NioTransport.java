package dev.weft.loop.nio;

import dev.weft.loop.spi.ListenSocket;
import dev.weft.loop.spi.Poller;
import dev.weft.loop.spi.StreamSocket;
import dev.weft.loop.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** The java.nio transport: selectors and socket channels, on every platform the JDK runs on. */
public final class NioTransport implements Transport {
    public static final NioTransport INSTANCE = new NioTransport();
    private static final boolean REUSE_PORT = probeReusePort();

    private NioTransport() {}

    @Override public String name() { return "nio"; }

    @Override public Poller openPoller() throws IOException { return NioPoller.open(); }

    @Override public boolean supportsReusePort() { return REUSE_PORT; }

    @Override
    public ListenSocket listen(InetSocketAddress address, int backlog, boolean reusePort) throws IOException {
        var channel = ServerSocketChannel.open();
        try {
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            channel.bind(address, backlog);
            return new NioListenSocket(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public StreamSocket connect(InetSocketAddress remote) throws IOException {
        var channel = SocketChannel.open();
        try {
            channel.configureBlocking(false);
            var socket = new NioStreamSocket(channel);
            if (channel.connect(remote)) socket.connectedAtOnce();
            return socket;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Wraps a channel connected elsewhere (a test, a library) so that a connection can run over it. */
    public static StreamSocket wrap(SocketChannel channel) throws IOException {
        channel.configureBlocking(false);
        return new NioStreamSocket(channel);
    }

    private static boolean probeReusePort() {
        try (var probe = ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    @Override public String toString() { return "nio"; }
}
