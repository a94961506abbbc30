package dev.weft.bench.peers;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

/**
 * A server the harness measures, answering the same endpoints as every other peer:
 * {@code GET /plaintext} (the 13 bytes "Hello, World!", text/plain), {@code POST /echo}
 * (the request body back, as application/octet-stream) and {@code GET /file/NAME} (a file from
 * the {@link StaticFiles} folder), where the peer can. Anything else is 404.
 */
public interface Peer extends AutoCloseable {
    /**
     * Names for {@code ./weft bench server NAME}, in the order the scenarios run them. "weft" is
     * Weft on the transport it picks (epoll on Linux), "weft-nio" Weft on java.nio.
     */
    List<String> NAMES = List.of("weft", "weft-nio", "netty-epoll", "netty-nio", "jetty", "jdk", "nginx");

    byte[] HELLO = "Hello, World!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    String name();

    InetSocketAddress address();

    /** Stops accepting and closes every connection; returns once the server's threads are done. */
    @Override
    void close();

    /** Starts the named peer on 127.0.0.1:{@code port} (0 picks a free port), serving {@code files}. */
    static Peer start(String name, int port, Path files) throws Exception {
        var address = new InetSocketAddress("127.0.0.1", port);
        return switch (name) {
            case "weft" -> WeftServer.start(address, files, dev.weft.loop.Transports.preferred());
            case "weft-nio" -> WeftServer.start(address, files, dev.weft.loop.nio.NioTransport.INSTANCE);
            case "netty-nio" -> NettyServer.start(NettyServer.Transport.NIO, address, files);
            case "netty-epoll" -> NettyServer.start(NettyServer.Transport.EPOLL, address, files);
            case "jdk" -> JdkServer.start(address, files);
            case "jetty" -> JettyServer.start(address, files);
            case "nginx" -> NginxServer.start(address, files);
            default -> throw new IllegalArgumentException("unknown server " + name + "; one of " + NAMES);
        };
    }
}
