package dev.weft.bench.load;

import dev.weft.bench.peers.ServerCommand;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One peer running as a child JVM ({@code Main server NAME --port P}) with the harness's own
 * java binary and class path and the JAVA_OPTS every peer gets, so load generator and server never
 * share a heap or a file-descriptor table. Its output goes to a log file; it counts as up once it
 * prints {@link ServerCommand#READY} and answers {@code GET /plaintext}.
 */
public final class ServerProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final InetSocketAddress address;
    private final Path log;

    private ServerProcess(String name, Process process, InetSocketAddress address, Path log) {
        this.name = name;
        this.process = process;
        this.address = address;
        this.log = log;
    }

    /** The JVM options every child gets: JAVA_OPTS from the environment, then {@code extra}. */
    public static List<String> jvmOptions(List<String> extra) {
        var options = new ArrayList<String>();
        String env = System.getenv("JAVA_OPTS");
        if (env != null && !env.isBlank()) options.addAll(Arrays.asList(env.trim().split("\\s+")));
        options.add("--enable-native-access=ALL-UNNAMED");     // Netty's epoll loads a native library
        options.addAll(extra);
        return options;
    }

    public static ServerProcess start(String name, List<String> extraJvmOptions, Path logDir)
            throws IOException, InterruptedException {
        int port = freePort();
        var command = new ArrayList<String>();
        command.add(Jdk.tool("java").toString());
        command.addAll(jvmOptions(extraJvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.weft.bench.Main",
                "server", name, "--port", Integer.toString(port)));
        Files.createDirectories(logDir);
        Path log = logDir.resolve(name + "-" + port + ".log");
        var process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        var server = new ServerProcess(name, process, new InetSocketAddress("127.0.0.1", port), log);
        try {
            server.awaitReady(30_000);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void awaitReady(long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) throw new IOException(name + " exited early; see " + log + ":\n" + tail());
            if (Files.readString(log).contains(ServerCommand.READY) && answers()) return;
            Thread.sleep(100);
        }
        throw new IOException(name + " did not come up within " + timeoutMillis + " ms; see " + log);
    }

    private boolean answers() {
        try (var socket = new Socket()) {
            socket.connect(address, 1000);
            socket.setSoTimeout(2000);
            return HttpProbe.exchange(socket, HttpProbe.PLAINTEXT) == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private String tail() throws IOException {
        var lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    /** Whether the server itself is this JVM (nginx is a process tree under a JVM that only waits). */
    public boolean isJvm() {
        return !name.equals("nginx");
    }

    /** The processes whose memory is the server's: this JVM, or nginx's master and workers. */
    public List<Long> serverPids() {
        if (isJvm()) return List.of(process.pid());
        return process.descendants().map(ProcessHandle::pid).toList();
    }

    /** Every process whose CPU the server spends: the JVM, or nginx's master and its workers. */
    public List<Long> cpuPids() {
        var pids = new java.util.ArrayList<Long>();
        pids.add(process.pid());
        process.descendants().forEach(p -> pids.add(p.pid()));
        return pids;
    }

    public InetSocketAddress address() {
        return address;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + address.getPort() + path;
    }

    /**
     * SIGTERM, which runs the server's shutdown hook; SIGKILL if it has not gone in 10 s. Any
     * process it started (nginx) that outlives it is killed too, so no server is left running.
     */
    @Override
    public void close() {
        var children = process.descendants().toList();
        try {
            stop();
        } finally {
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }

    private void stop() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** A port nothing listens on now, on 127.0.0.1. */
    static int freePort() throws IOException {
        try (var probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
