package dev.weft.bench.peers;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.SimpleFileServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The JDK's built-in com.sun.net.httpserver with a virtual thread per exchange, as the JDK's
 * docs suggest for servers that block. Two of its documented limits (module jdk.httpserver's
 * {@code sun.net.httpserver.*} properties) would skew the idle scenario: it keeps at most 200
 * idle connections and closes those idle for 30 s, so both are raised here before the server
 * class reads them. It is otherwise as shipped; files come from the JDK's own
 * {@link SimpleFileServer#createFileHandler} (JEP 408).
 */
public final class JdkServer implements Peer {
    private final HttpServer server;
    private final ExecutorService threads;

    private JdkServer(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    static JdkServer start(InetSocketAddress address, Path files) throws IOException {
        System.setProperty("sun.net.httpserver.maxIdleConnections", "100000");
        System.setProperty("sun.net.httpserver.idleInterval", "3600");
        var server = HttpServer.create(address, 8192);
        var threads = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(threads);
        server.createContext("/plaintext", JdkServer::plaintext);
        server.createContext("/echo", JdkServer::echo);
        server.createContext("/file/", SimpleFileServer.createFileHandler(files));
        server.start();
        return new JdkServer(server, threads);
    }

    private static void plaintext(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET") || !exchange.getRequestURI().getPath().equals("/plaintext")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/plain");
            exchange.sendResponseHeaders(200, HELLO.length);
            exchange.getResponseBody().write(HELLO);
        }
    }

    private static void echo(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
            exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public String name() {
        return "jdk";
    }

    @Override
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.close();
    }
}
