package dev.weft.bench.load;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The harness's own tiny HTTP/1.1 client for keep-alive probes: one request written, one response
 * read whole (head, then a Content-Length body), the connection left open. Enough for peers that
 * answer with Content-Length, which all of them do for /plaintext.
 */
public final class HttpProbe {
    public static final byte[] PLAINTEXT =
            "GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private static final int MAX_HEAD = 8192;

    /** What the response head said. */
    public record Head(int status, long contentLength, int length) {}

    private HttpProbe() {}

    /** Writes {@code request}, reads the whole response; returns its status. */
    public static int exchange(Socket socket, byte[] request) throws IOException {
        socket.getOutputStream().write(request);
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[MAX_HEAD];
        int filled = 0;
        Head head;
        while ((head = parseHead(buf, filled)) == null) {
            if (filled == buf.length) throw new IOException("response head longer than " + MAX_HEAD);
            int n = in.read(buf, filled, buf.length - filled);
            if (n < 0) throw new EOFException("closed after " + filled + " bytes of the response head");
            filled += n;
        }
        long bodyLeft = head.contentLength() - (filled - head.length());
        while (bodyLeft > 0) {
            long skipped = in.read(buf, 0, (int) Math.min(buf.length, bodyLeft));
            if (skipped < 0) throw new EOFException("closed with " + bodyLeft + " body bytes to come");
            bodyLeft -= skipped;
        }
        return head.status();
    }

    /**
     * Parses a response head from {@code buf[0, filled)}; null while the blank line that ends it
     * has not arrived. A response without Content-Length counts as having no body.
     */
    public static Head parseHead(byte[] buf, int filled) {
        int end = indexOfBlankLine(buf, filled);
        if (end < 0) return null;
        String[] lines = new String(buf, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
            throw new IllegalArgumentException("not an HTTP/1 status line: " + lines[0]);
        }
        long length = 0;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                length = Long.parseLong(lines[i].substring(colon + 1).trim());
            }
        }
        return new Head(Integer.parseInt(statusLine[1]), length, end + 4);
    }

    private static int indexOfBlankLine(byte[] buf, int filled) {
        for (int i = 0; i + 3 < filled; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n' && buf[i + 2] == '\r' && buf[i + 3] == '\n') return i;
        }
        return -1;
    }
}
