package dev.weft.cli.browser;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A pub/sub server speaking Nchan's protocol, started for a test on 127.0.0.1 and stopped by
 * {@link #close()}: publisher {@code /pub/<channel>}, subscriber {@code /sub/<channel>} (the
 * locations of docs/NCHAN.md "Running Nchan here"). {@link Nchan} is the real thing, {@link Weft}
 * is {@code weft pubsub} from this build; a test runs the same steps against both.
 */
public sealed interface PubSubServer extends AutoCloseable {
    /** A short name for reports and screenshots: "nchan", "weft". */
    String name();

    /** {@code http://127.0.0.1:<port>}. */
    String base();

    @Override
    void close();

    /** Debian's nginx with its Nchan module, a temporary config in {@code dir}, a free port. */
    static PubSubServer nchan(Path dir) throws IOException, InterruptedException { return Nchan.start(dir); }

    /** {@code weft pubsub --port 0} from this build, as a child JVM. */
    static PubSubServer weft() throws IOException, InterruptedException { return Weft.start(); }

    /** Skips the test (fails it under CI=true, where ./weft test has installed everything). */
    private static void unavailable(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(why + " [CI=true: failing, not skipping]");
        Assumptions.abort(why);
    }

    private static void stop(Process process) {
        process.destroy();                                  // SIGTERM: nginx and weft both stop cleanly
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Real Nchan: nginx in the foreground (daemon off, one master to stop by its pid). */
    record Nchan(String base, Process process, Path dir) implements PubSubServer {
        static final Path NGINX = Path.of("/usr/sbin/nginx");
        static final Path MODULE = Path.of("/usr/lib/nginx/modules/ngx_nchan_module.so");

        static Nchan start(Path dir) throws IOException, InterruptedException {
            if (!Files.isExecutable(NGINX) || !Files.exists(MODULE)) {
                unavailable("nginx with the Nchan module (" + MODULE + ") is not installed (./weft test installs libnginx-mod-nchan)");
            }
            int port = freePort();
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.writeString(dir.resolve("nginx.conf"), """
                    load_module %3$s;
                    worker_processes 1;
                    daemon off;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 256; }
                    http {
                        access_log off;
                        client_body_temp_path %1$s/body;
                        proxy_temp_path %1$s/proxy;
                        fastcgi_temp_path %1$s/fastcgi;
                        uwsgi_temp_path %1$s/uwsgi;
                        scgi_temp_path %1$s/scgi;
                        nchan_shared_memory_size 16M;
                        server {
                            listen 127.0.0.1:%2$d;
                            location ~ ^/pub/(\\w+)$ { nchan_publisher; nchan_channel_id $1; }
                            location ~ ^/sub/(\\w+)$ { nchan_subscriber; nchan_channel_id $1; }
                        }
                    }
                    """.formatted(dir, port, MODULE));
            var process = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("out.log").toFile()).start();
            var nchan = new Nchan("http://127.0.0.1:" + port, process, dir);
            try {
                awaitListening(port, process);
            } catch (IOException | RuntimeException | Error e) {
                nchan.close();
                throw new IOException(e.getMessage() + "; nginx said: " + Files.readString(dir.resolve("out.log"))
                        + (Files.exists(dir.resolve("error.log")) ? Files.readString(dir.resolve("error.log")) : ""), e);
            }
            return nchan;
        }

        @Override public String name() { return "nchan"; }

        @Override public void close() { stop(process); }
    }

    /** {@code weft pubsub} from this build: the test's own weft modules on a child JVM's module path. */
    record Weft(String base, Process process) implements PubSubServer {
        private static final Pattern LISTENING = Pattern.compile("publish at http://127\\.0\\.0\\.1:(\\d+)/pub/");

        static Weft start() throws IOException, InterruptedException {
            var java = Path.of(System.getProperty("java.home"), "bin", "java");
            var command = List.of(java.toString(), "--enable-native-access=weft", "-p", modulePath(), "-m", "weft.cli/dev.weft.cli.Main",
                    "pubsub", "--host", "127.0.0.1", "--port", "0", "--loops", "2");
            var process = new ProcessBuilder(command).redirectErrorStream(true).start();
            var out = process.inputReader();
            var said = new StringBuilder();
            // The first line names the port; the rest is drained so the child never blocks on a full pipe.
            var port = new java.util.concurrent.CompletableFuture<Integer>();
            Thread.ofVirtual().start(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        synchronized (said) { said.append(line).append('\n'); }
                        var m = LISTENING.matcher(line);
                        if (m.find()) port.complete(Integer.parseInt(m.group(1)));
                    }
                } catch (IOException ignored) { // the process ended
                }
                port.complete(-1);
            });
            int p;
            try {
                p = port.get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                p = -1;
            }
            if (p <= 0) {
                stop(process);
                synchronized (said) {
                    throw new IOException("weft pubsub did not start: " + String.join(" ", command) + "\n" + said);
                }
            }
            return new Weft("http://127.0.0.1:" + p, process);
        }

        // The classpath this test runs on holds this build's weft modules (jars of the reactor, or
        // weft-cli's own target/classes) and weft-cli's libraries: those, and no test code.
        static String modulePath() {
            var entries = new ArrayList<String>();
            for (var entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                var path = entry.replace('\\', '/');
                boolean weft = path.endsWith("weft-cli/target/classes") || path.contains("/weft-protocol/target/")
                        || path.contains("/weft-runtime/target/") || path.contains("/dev/weft/");
                boolean tests = path.contains("test-classes") || path.endsWith("-tests.jar");
                if ((weft && !tests) || path.contains("HdrHistogram")) entries.add(entry);
            }
            return String.join(File.pathSeparator, entries);
        }

        @Override public String name() { return "weft"; }

        @Override public void close() { stop(process); }
    }

    private static int freePort() throws IOException {
        try (var s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process process) throws IOException, InterruptedException {
        long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < due) {
            if (!process.isAlive()) throw new IOException("exited " + process.exitValue());
            try (var s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new UncheckedIOException(new IOException("nothing listening on " + port + " after 15 s"));
    }
}
