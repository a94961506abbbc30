package dev.weft.server;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A raw HTTP/1.1 client over a blocking socket, for tests that must control the bytes: it sends
 * exactly what it is given and reads responses strictly (Content-Length, chunked, or until close).
 */
final class Wire implements AutoCloseable {
    /** A response as read off the wire; header names lowercased. */
    record Reply(int status, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? "" : v.getFirst();
        }

        String text() { return new String(body, StandardCharsets.UTF_8); }
    }

    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Wire(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new java.io.BufferedInputStream(socket.getInputStream(), 16 << 10);
        this.out = socket.getOutputStream();
    }

    static Wire connect(InetSocketAddress address) throws IOException {
        var s = new Socket();
        s.connect(address, 10_000);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return new Wire(s);
    }

    Wire send(String text) throws IOException { return send(text.getBytes(StandardCharsets.ISO_8859_1)); }

    Wire send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    Reply read() throws IOException { return read(false); }

    /** Reads one response; {@code toHead}: it answers HEAD, so no body follows whatever the fields say. */
    Reply read(boolean toHead) throws IOException {
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.")) throw new IOException("bad status line: " + statusLine);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String l; !(l = line()).isEmpty(); ) {
            int colon = l.indexOf(':');
            headers.computeIfAbsent(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), _ -> new ArrayList<>())
                    .add(l.substring(colon + 1).trim());
        }
        var reply = new Reply(status, headers, new byte[0]);
        if (toHead || status < 200 || status == 204 || status == 304) return reply;
        if (reply.header("transfer-encoding").equalsIgnoreCase("chunked")) return withBody(reply, chunked());
        if (!reply.header("content-length").isEmpty()) return withBody(reply, in.readNBytes(Integer.parseInt(reply.header("content-length"))));
        return withBody(reply, in.readAllBytes());                    // until close
    }

    private static Reply withBody(Reply r, byte[] body) { return new Reply(r.status(), r.headers(), body); }

    private byte[] chunked() throws IOException {
        var body = new ByteArrayOutputStream();
        for (;;) {
            String size = line();
            int n = Integer.parseInt(size.split(";")[0].trim(), 16);
            if (n == 0) {
                while (!line().isEmpty()) { /* trailers */ }
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            if (!line().isEmpty()) throw new IOException("chunk not followed by CRLF");
        }
    }

    private String line() throws IOException {
        var sb = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new EOFException("connection closed mid-line: " + sb);
            if (b != '\r') sb.append((char) b);
        }
        return sb.toString();
    }

    /** True if the server closes the connection (EOF or reset) within the socket timeout. */
    boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Reads and drops whatever is still coming; true if the server then closes (EOF or reset) within the timeout. */
    boolean closedByPeerAfterDraining() throws IOException {
        byte[] sink = new byte[8192];
        try {
            while (in.read(sink) >= 0) { /* drop */ }
            return true;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override public void close() throws IOException { socket.close(); }
}
