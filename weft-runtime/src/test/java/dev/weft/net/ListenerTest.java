package dev.weft.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.loop.LoopConfig;
import dev.weft.loop.spi.ListenSocket;
import dev.weft.testing.AdversePeer;
import dev.weft.testing.LineServer;
import dev.weft.testing.LogCapture;
import dev.weft.testing.LoopHarness;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ListenerTest {

    @Test
    void withReusePortEachLoopAcceptsAndConnectionsSpreadOverLoops() throws IOException {
        assumeTrue(System.getProperty("os.name").toLowerCase().contains("linux"), "SO_REUSEPORT is checked on Linux");
        try (var net = new NetFixture(2)) {
            var listener = net.serve(LineServer.LineHandler::new);
            assertTrue(listener.reusePort());
            assertTrue(listener.localAddress().getPort() > 0, "port 0 resolved");
            Set<String> loops = new TreeSet<>();
            var peers = new ArrayList<AdversePeer>();
            try {
                // The kernel hashes the 4-tuple: 32 connections all on one of 2 sockets is a 2^-31 event.
                for (int i = 0; i < 32; i++) {
                    var peer = AdversePeer.connect(net.address());
                    peers.add(peer);
                    loops.add(peer.send("LOOP\n").readLine());
                }
            } finally {
                for (var peer : peers) peer.close();
            }
            assertEquals(Set.of("0", "1"), loops);
            long accepted = 0;
            for (var loop : net.group.loops()) accepted += loop.counters().connectionsAccepted();
            assertEquals(32, accepted);
        }
    }

    @Test
    void withoutReusePortOneAcceptorHandsConnectionsOutRoundRobin() throws IOException {
        try (var net = new NetFixture(2)) {
            var listener = Listener.bind(net.group, NetFixture.loopback(), 64, ConnectionOptions.defaults(),
                    LineServer.LineHandler::new, false, ListenSocket::accept);
            try {
                assertFalse(listener.reusePort());
                var order = new ArrayList<String>();
                for (int i = 0; i < 4; i++) {
                    try (var peer = AdversePeer.connect(listener.localAddress())) {
                        order.add(peer.send("LOOP\n").readLine());
                    }
                }
                assertEquals(List.of("0", "1", "0", "1"), order);
            } finally {
                listener.close();
            }
        }
    }

    @Test
    void closeStopsAcceptingButKeepsExistingConnections() throws IOException {
        try (var net = new NetFixture(2)) {
            var listener = net.serve(LineServer.LineHandler::new);
            try (var peer = AdversePeer.connect(net.address())) {
                assertEquals("PONG", peer.send("PING\n").readLine());
                listener.close();
                assertThrows(ConnectException.class, () -> new Socket(net.address().getAddress(), net.address().getPort()).close());
                assertEquals("PONG", peer.send("PING\n").readLine(), "accepted connections stay");
            }
        }
    }

    /** EMFILE on accept: stop watching OP_ACCEPT for a backoff, then accept what waited. No sleeping. */
    @Test
    void runningOutOfFileDescriptorsBacksOffAndResumes() throws IOException {
        var failOnce = new AtomicBoolean(true);
        var failed = new CompletableFuture<Void>();
        Listener.Accept flaky = server -> {
            if (failOnce.getAndSet(false)) {
                failed.complete(null);
                throw new IOException("Too many open files");
            }
            return server.accept();
        };
        try (var harness = LoopHarness.start(LoopConfig.defaults().withLoops(1));
             var log = LogCapture.start()) {
            var loop = harness.loop();
            var listener = Listener.bind(harness.group(), NetFixture.loopback(), 64, ConnectionOptions.defaults(),
                    LineServer.LineHandler::new, true, flaky);
            try (var peer = AdversePeer.connect(listener.localAddress())) {
                peer.send("PING\n");
                LoopHarness.await(failed);
                assertEquals(1L, (long) harness.call(l -> l.counters().acceptBackoffs()));
                assertEquals(0L, (long) harness.call(l -> l.counters().connectionsAccepted()), "paused");
                harness.advance(Duration.ofMillis(99));
                assertEquals(0L, (long) harness.call(l -> l.counters().connectionsAccepted()), "still paused");
                harness.advance(Duration.ofMillis(1));             // the 100 ms backoff ends
                assertEquals("PONG", peer.readLine());
                assertEquals(1L, loop.counters().connectionsAccepted());
                assertEquals(1, log.warnings().size(), "running out of descriptors is worth a warning");
            } finally {
                listener.close();
            }
        }
    }
}
