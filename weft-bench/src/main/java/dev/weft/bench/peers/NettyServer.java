package dev.weft.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2 as its TechEmpower entry and its performance docs set it up: one loop per core on
 * the chosen transport, the pooled allocator, a backlog of 8192, HttpServerCodec with header
 * validation off (as the TechEmpower entry has it: it only makes Netty faster), a pre-built
 * response around a shared read-only body, a Date value refreshed once a second, writes
 * flushed once per read batch in channelReadComplete, and files sent as a DefaultFileRegion
 * (sendfile), as Netty's HttpStaticFileServer example does ({@link NettyHandler}).
 */
public final class NettyServer implements Peer {
    /** Which Netty transport the loops use. */
    public enum Transport { NIO, EPOLL }

    private final String name;
    private final EventLoopGroup loops;
    private final Channel listener;

    private NettyServer(String name, EventLoopGroup loops, Channel listener) {
        this.name = name;
        this.loops = loops;
        this.listener = listener;
    }

    static NettyServer start(Transport transport, InetSocketAddress address, Path files) throws InterruptedException {
        if (transport == Transport.EPOLL && !Epoll.isAvailable()) {
            throw new IllegalStateException("Netty's epoll transport is not available", Epoll.unavailabilityCause());
        }
        IoHandlerFactory io = transport == Transport.EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel =
                transport == Transport.EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        var loops = new MultiThreadIoEventLoopGroup(Runtime.getRuntime().availableProcessors(), io);
        var date = new NettyHandler.DateValue();
        loops.scheduleAtFixedRate(date::update, 0, 1, TimeUnit.SECONDS);
        ByteBuf hello = Unpooled.unreleasableBuffer(Unpooled.directBuffer(HELLO.length).writeBytes(HELLO).asReadOnly());
        var config = new HttpDecoderConfig().setHeadersFactory(DefaultHttpHeadersFactory.headersFactory().withValidation(false));
        var bootstrap = new ServerBootstrap()
                .group(loops)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 8192)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(config), new NettyHandler(hello, date, files));
                    }
                });
        try {
            Channel listener = bootstrap.bind(address).sync().channel();
            return new NettyServer("netty-" + transport.name().toLowerCase(), loops, listener);
        } catch (RuntimeException | InterruptedException e) {
            loops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public InetSocketAddress address() {
        return (InetSocketAddress) listener.localAddress();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
