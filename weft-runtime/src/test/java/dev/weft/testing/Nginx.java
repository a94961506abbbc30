package dev.weft.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's nginx as a peer, started in the foreground on a free port of 127.0.0.1 from a config
 * written into a test's folder, and stopped by {@link #close()}. Without nginx (or, when asked
 * for, the Nchan module) the test is skipped, except under CI=true, where the launcher installs
 * both and a missing one fails.
 */
public final class Nginx implements AutoCloseable {
    public static final Path NCHAN_MODULE = Path.of("/usr/lib/nginx/modules/ngx_nchan_module.so");

    private final Process process;
    private final int port;

    private Nginx(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Starts nginx with {@code locations} inside its one {@code server} block; {@code nchan}
     * loads the Nchan module first. {@code dir} holds the config, logs and temp folders.
     */
    public static Nginx start(Path dir, String locations, boolean nchan) throws Exception {
        Path binary = require("nginx");
        if (nchan) requirePresent(Files.exists(NCHAN_MODULE), "libnginx-mod-nchan");
        // nginx's workers drop root for nobody: they must be able to read the folder
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        int port = freePort();
        Files.writeString(dir.resolve("nginx.conf"), """
                %3$s
                worker_processes 1;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 512; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    %4$s
                    server {
                        listen 127.0.0.1:%2$d;
                %5$s
                    }
                }
                """.formatted(dir, port, nchan ? "load_module " + NCHAN_MODULE + ";" : "",
                nchan ? "nchan_shared_memory_size 16M;" : "", locations));
        Process p = new ProcessBuilder(binary.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
        var nginx = new Nginx(p, port);
        try {
            awaitListening(port);
        } catch (Throwable t) {
            nginx.close();
            throw t;
        }
        return nginx;
    }

    public int port() { return port; }

    public String base() { return "http://127.0.0.1:" + port; }

    @Override public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
    }

    /** A tool on PATH (or in /usr/sbin, /sbin); skips the test without it, fails under CI=true. */
    public static Path require(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) return Path.of(d, tool);
        }
        requirePresent(false, tool);
        throw new AssertionError("unreachable");
    }

    private static void requirePresent(boolean present, String what) {
        if (!present && "true".equals(System.getenv("CI"))) fail(what + " is required under CI=true but was not found");
        assumeTrue(present, what + " not installed: skipping");
    }

    public static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Waits up to 15 s until something accepts on {@code port} of 127.0.0.1. */
    public static void awaitListening(int port) throws Exception {
        long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < due) {
            try (var s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nothing listened on " + port);
    }
}
