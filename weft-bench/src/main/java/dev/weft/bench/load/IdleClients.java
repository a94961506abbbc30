package dev.weft.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Many keep-alive connections held open by the harness: each sends one request, reads the
 * response, then sits idle. Plain blocking sockets on virtual threads, at most {@code parallel}
 * handshakes in flight so the server's accept backlog never overflows (an overflow costs a 1 s
 * SYN retry and would time the backlog, not the server).
 */
public final class IdleClients implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 15_000;

    private final List<Socket> sockets;
    private final int failed;

    private IdleClients(List<Socket> sockets, int failed) {
        this.sockets = sockets;
        this.failed = failed;
    }

    /** Opens {@code count} connections; {@code progress} hears the running total now and then. */
    public static IdleClients open(InetSocketAddress server, int count, int parallel, IntConsumer progress)
            throws InterruptedException {
        var sockets = Collections.synchronizedList(new ArrayList<Socket>(count));
        var failed = new AtomicInteger();
        var done = new AtomicInteger();
        var permits = new Semaphore(parallel);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                permits.acquire();
                threads.execute(() -> {
                    try {
                        sockets.add(openOne(server));
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                    } finally {
                        permits.release();
                        int n = done.incrementAndGet();
                        if (n % 1000 == 0) progress.accept(n);
                    }
                });
            }
        }
        return new IdleClients(new ArrayList<>(sockets), failed.get());
    }

    private static Socket openOne(InetSocketAddress server) throws IOException {
        var socket = new Socket();
        try {
            socket.connect(server, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            int status = HttpProbe.exchange(socket, HttpProbe.PLAINTEXT);
            if (status != 200) throw new IOException("status " + status);
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public int opened() {
        return sockets.size();
    }

    public int failed() {
        return failed;
    }

    /** Sends a second request on every connection; returns how many answered 200. */
    public int askAgain(int parallel) throws InterruptedException {
        var answered = new AtomicInteger();
        var permits = new Semaphore(parallel);
        try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (var socket : sockets) {
                permits.acquire();
                threads.execute(() -> {
                    try {
                        if (HttpProbe.exchange(socket, HttpProbe.PLAINTEXT) == 200) answered.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        // counted as not answering
                    } finally {
                        permits.release();
                    }
                });
            }
        }
        return answered.get();
    }

    @Override
    public void close() {
        for (var socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a socket the server already dropped: nothing to do
            }
        }
    }
}
