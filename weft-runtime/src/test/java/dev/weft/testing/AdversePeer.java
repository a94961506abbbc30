package dev.weft.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * A client that misbehaves on purpose, with a small named vocabulary of socket faults (OkHttp's
 * {@code SocketEffect}; ARCHITECTURE.md convention 13): {@link Stall}, {@link HalfClose}, {@link ResetMidBody},
 * {@link SlowLoris}. A blocking {@link Socket} on the test thread; every read is bounded by a
 * timeout, so a test that waits for the server cannot hang.
 * <pre>{@code
 * try (var peer = AdversePeer.connect(server.address())) {
 *     peer.apply(new AdversePeer.ResetMidBody(body, 100));   // 100 bytes, then RST
 * }
 * }</pre>
 */
public final class AdversePeer implements AutoCloseable {
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    /** One fault, applied with {@link #apply}. */
    public sealed interface Effect permits Stall, HalfClose, ResetMidBody, SlowLoris {}

    /** Send nothing more and read nothing: the socket stays open while windows fill. */
    public record Stall() implements Effect {}

    /** Shut our sending side (FIN) and keep the socket open for reading. */
    public record HalfClose() implements Effect {}

    /** Send the first {@code sent} bytes of {@code body}, then reset the connection (RST). */
    public record ResetMidBody(byte[] body, int sent) implements Effect {
        public ResetMidBody {
            if (sent < 0 || sent > body.length) throw new IllegalArgumentException("sent: " + sent);
        }
    }

    /** Send {@code bytes} one at a time, {@code gap} apart (a slow-loris client). */
    public record SlowLoris(byte[] bytes, Duration gap) implements Effect {}

    private final Socket socket;
    private final InputStream in;

    private AdversePeer(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
    }

    public static AdversePeer connect(InetSocketAddress address) throws IOException { return connect(address, 0); }

    /** {@code receiveBuffer} > 0 shrinks our receive window, so a server's writes stall sooner. */
    public static AdversePeer connect(InetSocketAddress address, int receiveBuffer) throws IOException {
        var socket = new Socket();
        if (receiveBuffer > 0) socket.setReceiveBufferSize(receiveBuffer);
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        socket.connect(address, (int) READ_TIMEOUT.toMillis());
        return new AdversePeer(socket);
    }

    public Socket socket() { return socket; }

    public AdversePeer send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
        return this;
    }

    public AdversePeer send(String ascii) throws IOException { return send(ascii.getBytes(StandardCharsets.US_ASCII)); }

    public void apply(Effect effect) throws IOException {
        switch (effect) {
            case Stall _ -> { }                         // doing nothing is the fault
            case HalfClose _ -> socket.shutdownOutput();
            case ResetMidBody(byte[] body, int sent) -> {
                send(Arrays.copyOf(body, sent));
                reset();
            }
            case SlowLoris(byte[] bytes, Duration gap) -> {
                for (byte b : bytes) {
                    send(new byte[] {b});
                    LockSupport.parkNanos(gap.toNanos());
                }
            }
        }
    }

    /** Closes with SO_LINGER 0: the kernel sends RST instead of FIN. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Reads exactly {@code n} bytes (bounded by the read timeout). */
    public byte[] read(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) throw new IOException("EOF after " + bytes.length + " of " + n + " bytes");
        return bytes;
    }

    /** Reads one line without its "\n" (and "\r"), as ASCII. */
    public String readLine() throws IOException {
        var line = new ByteArrayOutputStream();
        for (;;) {
            int b = in.read();
            if (b < 0) throw new IOException("EOF inside a line: " + line);
            if (b == '\n') break;
            line.write(b);
        }
        var s = line.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Reads until the server closes; a reset counts as closed. Returns what arrived. */
    public byte[] readToEnd() throws IOException {
        var all = new ByteArrayOutputStream();
        byte[] chunk = new byte[8192];
        try {
            for (int n; (n = in.read(chunk)) >= 0; ) all.write(chunk, 0, n);
        } catch (SocketTimeoutException e) {
            throw new IOException("server did not close within " + READ_TIMEOUT + "; got " + all.size() + " bytes", e);
        } catch (SocketException e) {
            // "Connection reset": closed too, just not politely
        }
        return all.toByteArray();
    }

    @Override
    public void close() throws IOException { socket.close(); }
}
