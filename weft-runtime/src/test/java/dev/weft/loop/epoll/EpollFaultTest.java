package dev.weft.loop.epoll;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.loop.spi.Registration;
import dev.weft.loop.spi.FileSource;
import dev.weft.net.FileRegion;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SelectionKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The epoll transport at the system-call boundary: the faults a kernel returns, driven for real
 * between an epoll socket and a java.net.Socket peer on 127.0.0.1. The test thread is the loop.
 */
class EpollFaultTest {
    private EpollPoller poller;
    private EpollListenSocket listener;
    private final List<Socket> peers = new ArrayList<>();

    @BeforeEach
    void open() throws IOException {
        poller = EpollPoller.open();
        listener = (EpollListenSocket) EpollTransport.INSTANCE.listen(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16, false);
        poller.registerSocket(listener, SelectionKey.OP_ACCEPT, _ -> { });
    }

    @AfterEach
    void close() throws IOException {
        for (var peer : peers) peer.close();
        poller.close();
        listener.close();
    }

    /** A connected pair: the epoll side, registered with {@code handler}, and a plain socket as the peer. */
    private EpollStreamSocket connect(Socket peer, java.util.function.IntConsumer handler) throws IOException {
        peers.add(peer);
        peer.connect(listener.localAddress());
        EpollStreamSocket accepted = null;
        for (int i = 0; i < 100 && accepted == null; i++) {
            poller.poll(TimeUnit.MILLISECONDS.toNanos(100));
            accepted = (EpollStreamSocket) listener.accept();
        }
        assertTrue(accepted != null, "accepted");
        poller.registerSocket(accepted, SelectionKey.OP_READ, handler::accept);
        return accepted;
    }

    @Test
    void aDescriptorClosedWhileItsEventsAreInTheBatchIsNeverMistakenForTheNextOneWithItsNumber() throws IOException {
        try (var first = NativePipe.open(); var second = NativePipe.open()) {
            var calls = new ArrayList<String>();
            var successor = new NativePipe[1];
            var secondRegistration = second.register(poller, SelectionKey.OP_READ, _ -> calls.add("second"));
            var firstRegistration = new Registration[1];
            firstRegistration[0] = first.register(poller, SelectionKey.OP_READ, _ -> {
                calls.add("first");
                firstRegistration[0].interestOps(0);          // level-triggered: heard once is enough
                // What a connection's close does mid-batch: its descriptor goes, and the next
                // descriptor made (here a pipe, in a server an accept) takes the lowest free number.
                secondRegistration.cancel();
                NativePipe.close(second.source);
                try {
                    successor[0] = NativePipe.open();
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
                successor[0].register(poller, SelectionKey.OP_READ, _ -> calls.add("successor"));
            });
            first.send(1);
            second.send(1);
            poller.poll(TimeUnit.SECONDS.toNanos(5));
            try (var next = successor[0]) {
                assumeTrue(next.source == second.source, "the kernel reused the number (lowest free descriptor)");
                assertEquals(List.of("first"), calls, "the stale event of the closed descriptor reached no one");
                next.send(1);
                poller.poll(TimeUnit.SECONDS.toNanos(5));
                assertEquals(List.of("first", "successor"), calls, "the new one gets its own events");
            }
        }
    }

    @Test
    void aGatheringWriteStopsAtAFullSocketThenResumesOnTheEdgeWhenThePeerReads() throws Exception {
        var peer = new Socket();
        peer.setReceiveBufferSize(64 << 10);
        var writable = new AtomicInteger();
        var socket = connect(peer, ops -> { if ((ops & SelectionKey.OP_WRITE) != 0) writable.incrementAndGet(); });
        byte[] pattern = new byte[64 << 10];
        for (int i = 0; i < pattern.length; i++) pattern[i] = (byte) (i * 31);
        var buffers = new ByteBuffer[64];
        for (int i = 0; i < buffers.length; i++) buffers[i] = ByteBuffer.allocateDirect(pattern.length).put(pattern).flip();
        long total = 0;
        long n;
        int partial = 0;
        while ((n = socket.write(buffers, 0, buffers.length)) > 0) {
            total += n;
            partial++;
        }
        assertTrue(total > 0 && total < 64L * pattern.length, "some went, the rest waits: " + total);
        assertTrue(partial >= 1);
        assertEquals(0, socket.ready & EpollRegistration.WRITABLE, "EAGAIN cleared write readiness");
        socket.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        long expected = 64L * pattern.length;
        var drained = CompletableFuture.supplyAsync(() -> readExactly(peer, expected, pattern));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (total < expected && System.nanoTime() < deadline) {
            poller.poll(TimeUnit.MILLISECONDS.toNanos(100));
            if ((socket.ready & EpollRegistration.WRITABLE) != 0) total += socket.write(buffers, 0, buffers.length);
        }
        assertEquals(expected, total);
        assertTrue(writable.get() > 0, "EPOLLOUT came as the peer read");
        assertTrue(drained.get(20, TimeUnit.SECONDS), "every byte arrived, in order");
    }

    private static boolean readExactly(Socket peer, long count, byte[] pattern) {
        try {
            InputStream in = peer.getInputStream();
            byte[] chunk = new byte[pattern.length];
            long seen = 0;
            while (seen < count) {
                int n = in.read(chunk, 0, (int) Math.min(chunk.length - seen % pattern.length, count - seen));
                if (n < 0) return false;
                for (int i = 0; i < n; i++) if (chunk[i] != pattern[(int) ((seen + i) % pattern.length)]) return false;
                seen += n;
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void aResetReadsAsTheSameIOExceptionJavaNioGives() throws Exception {
        var peer = new Socket();
        var socket = connect(peer, _ -> { });
        peer.setSoLinger(true, 0);
        peer.close();
        var buffer = ByteBuffer.allocateDirect(1024);
        poller.poll(TimeUnit.SECONDS.toNanos(5));
        var thrown = assertThrows(SocketException.class, () -> socket.read(buffer));
        assertEquals("Connection reset", thrown.getMessage(), "as java.nio words it");
    }

    @Test
    void writingToAPeerThatIsGoneFailsWithoutASignal() throws Exception {
        var peer = new Socket();
        var socket = connect(peer, _ -> { });
        peer.setSoLinger(true, 0);
        peer.close();
        poller.poll(TimeUnit.SECONDS.toNanos(5));
        var bytes = new ByteBuffer[] {ByteBuffer.allocateDirect(1024)};
        // EPIPE or ECONNRESET, whichever the kernel says first; MSG_NOSIGNAL keeps it an error return.
        var thrown = assertThrows(IOException.class, () -> {
            for (int i = 0; i < 10; i++) socket.write(bytes, 0, 1);
        });
        assertTrue(thrown.getMessage().equals("Broken pipe") || thrown.getMessage().equals("Connection reset"),
                thrown.getMessage());
    }

    @Test
    void aHalfClosedPeerIsReadToTheEndThenEof() throws Exception {
        var peer = new Socket();
        var socket = connect(peer, _ -> { });
        peer.getOutputStream().write("last words".getBytes());
        peer.shutdownOutput();
        Thread.sleep(50);                                   // data and FIN both in before the first read
        poller.poll(TimeUnit.SECONDS.toNanos(5));
        var buffer = ByteBuffer.allocateDirect(1024);
        assertEquals(10, socket.read(buffer));
        assertTrue((socket.ready & EpollRegistration.READABLE) != 0, "a short read after the FIN does not end reading");
        assertEquals(-1, socket.read(buffer));
        socket.shutdownOutput();
        assertEquals(-1, peer.getInputStream().read(), "our FIN reached the peer");
    }

    @Test
    void aShortSendfileResumesWhereItStopped(@TempDir Path dir) throws Exception {
        var file = bigFile(dir.resolve("big"));
        var key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var source = new FileRegion(channel, 0, channel.size(), false).origin(new FileSource.Origin(file, key));
            sendWhole(source, Files.readAllBytes(file));
            assertTrue(source.transportHandle() instanceof NativeFiles.Descriptor, "sent with sendfile from its own descriptor");
        }
    }

    @Test
    void aFileReplacedSinceItWasOpenedIsSentFromTheChannelNotFromItsSuccessor(@TempDir Path dir) throws Exception {
        var file = bigFile(dir.resolve("big"));
        byte[] original = Files.readAllBytes(file);
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            var key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
            var successor = Files.write(dir.resolve("next"), new byte[original.length]);
            Files.move(successor, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            var source = new FileRegion(channel, 0, channel.size(), false).origin(new FileSource.Origin(file, key));
            sendWhole(source, original);
            assertEquals(NativeFiles.NONE, source.transportHandle(), "another inode at that path: not opened for sendfile");
        }
    }

    private static Path bigFile(Path path) throws IOException {
        byte[] content = new byte[8 << 20];
        for (int i = 0; i < content.length; i++) content[i] = (byte) (i ^ (i >>> 9));
        return Files.write(path, content);
    }

    /** Sends all of {@code source} to a slow peer, part by part as the socket takes it, and checks what arrived. */
    private void sendWhole(FileSource source, byte[] content) throws Exception {
        var peer = new Socket();
        peer.setReceiveBufferSize(64 << 10);
        var socket = connect(peer, _ -> { });
        socket.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        long position = socket.transferFrom(source, 0, content.length);
        assertTrue(position > 0 && position < content.length, "the socket took part of it: " + position);
        var received = CompletableFuture.supplyAsync(() -> {
            try {
                return peer.getInputStream().readNBytes(content.length);
            } catch (IOException e) {
                return new byte[0];
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (position < content.length && System.nanoTime() < deadline) {
            if ((socket.ready & EpollRegistration.WRITABLE) == 0) poller.poll(TimeUnit.MILLISECONDS.toNanos(100));
            else position += socket.transferFrom(source, position, content.length - position);
        }
        assertEquals(content.length, position);
        assertArrayEquals(content, received.get(20, TimeUnit.SECONDS));
    }

    @Test
    void theTcpInfoOfALiveConnectionHasARoundTripTime() throws Exception {
        var peer = new Socket();
        var socket = connect(peer, _ -> { });
        peer.getOutputStream().write(1);
        poller.poll(TimeUnit.SECONDS.toNanos(5));
        socket.write(new ByteBuffer[] {ByteBuffer.allocateDirect(100)}, 0, 1);
        assertEquals(100, peer.getInputStream().readNBytes(100).length);
        var info = socket.tcpInfo();
        assertTrue(info != null && info.rttMicros() > 0 && info.congestionWindow() > 0, String.valueOf(info));
        socket.close();
        assertFalse(socket.isValid(), "closed and out of the poller");
    }
}
