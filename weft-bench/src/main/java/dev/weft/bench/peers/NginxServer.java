package dev.weft.bench.peers;

import dev.weft.bench.load.Debian;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's nginx as a peer: a master and one worker per core, with a config this class writes
 * the way nginx's tuning guides set it up for a benchmark: epoll, no access log, keep-alive
 * connections that are never cut by a request count, reuseport listeners, a canned response for
 * /plaintext, and files with sendfile. Stock nginx cannot echo a body, so POST /echo is 404 and the echo scenario leaves
 * nginx out. The nginx processes are children of this JVM; {@link #close()} stops them.
 */
public final class NginxServer implements Peer {
    private final Process nginx;
    private final InetSocketAddress address;

    private NginxServer(Process nginx, InetSocketAddress address) {
        this.nginx = nginx;
        this.address = address;
    }

    static NginxServer start(InetSocketAddress address, Path files) throws IOException, InterruptedException {
        Path binary = Debian.ensure("nginx", "nginx");
        Path prefix = Files.createTempDirectory("weft-bench-nginx");
        Files.writeString(prefix.resolve("nginx.conf"), config(prefix, address, files));
        var nginx = new ProcessBuilder(binary.toString(), "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("stdout.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            if (!nginx.isAlive()) throw new IOException("nginx exited; see " + prefix.resolve("error.log"));
            if (accepts(address)) return new NginxServer(nginx, address);
            Thread.sleep(50);
        }
        nginx.destroy();
        throw new IOException("nginx did not listen within 10 s; see " + prefix);
    }

    static String config(Path prefix, InetSocketAddress address, Path files) {
        return """
                daemon off;
                master_process on;
                worker_processes %d;
                worker_rlimit_nofile 20000;
                pid %s/nginx.pid;
                error_log %s/error.log warn;
                events { worker_connections 20000; use epoll; multi_accept on; }
                http {
                    access_log off;
                    sendfile on;
                    tcp_nopush on;
                    server_tokens off;
                    keepalive_requests 100000000;
                    keepalive_timeout 3600s;
                    client_body_temp_path %s/body;
                    proxy_temp_path %s/proxy;
                    fastcgi_temp_path %s/fastcgi;
                    uwsgi_temp_path %s/uwsgi;
                    scgi_temp_path %s/scgi;
                    server {
                        listen %s:%d reuseport backlog=8192;
                        location = /plaintext { default_type text/plain; return 200 "Hello, World!"; }
                        location /file/ { alias %s/; default_type application/octet-stream; }
                        location / { return 404; }
                    }
                }
                """.formatted(Runtime.getRuntime().availableProcessors(), prefix, prefix, prefix, prefix, prefix,
                prefix, prefix, address.getHostString(), address.getPort(), files);
    }

    private static boolean accepts(InetSocketAddress address) {
        try (var socket = new Socket()) {
            socket.connect(address, 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return "nginx";
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    /** SIGTERM is nginx's fast shutdown; the workers leave with the master. */
    @Override
    public void close() {
        nginx.destroy();
        try {
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) nginx.destroyForcibly();
        } catch (InterruptedException e) {
            nginx.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
