package dev.weft.net;

import dev.weft.loop.EventLoop;
import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.testing.LoopHarness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** A real group and listener on 127.0.0.1, port 0; closed after each test. */
final class NetFixture implements AutoCloseable {
    final EventLoopGroup group;
    private Listener listener;

    NetFixture(int loops) { group = EventLoopGroup.start(LoopConfig.defaults().withLoops(loops)); }

    Listener serve(ConnectionOptions options, Supplier<? extends ConnectionHandler> handlers) {
        try {
            listener = Listener.bind(group, loopback(), 64, options, handlers);
            return listener;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Listener serve(Supplier<? extends ConnectionHandler> handlers) { return serve(ConnectionOptions.defaults(), handlers); }

    InetSocketAddress address() { return listener.localAddress(); }

    static InetSocketAddress loopback() { return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0); }

    /** Runs on {@code loop} and waits: also a barrier, since the loop runs one thing at a time. */
    static <T> T onLoop(EventLoop loop, Callable<T> task) { return LoopHarness.callOn(loop, l -> task.call()); }

    /** Buffers lent on every loop, read on each loop after whatever it was doing. */
    int lent() {
        int sum = 0;
        for (var loop : group.loops()) sum += onLoop(loop, () -> loop.buffers().lent());
        return sum;
    }

    @Override
    public void close() {
        if (listener != null) listener.close();
        group.shutdown(Duration.ofSeconds(5));
    }
}
