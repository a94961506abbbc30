package dev.weft.server;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of {@link LongPollTest}, run as a child JVM so that its sockets count against
 * its own open-file limit, not the server's. Opens N connections, sends one long-poll on each,
 * prints {@code SENT}, then reads every answer in order and prints {@code RECEIVED n}.
 * Usage: {@code LongPollClients PORT N}.
 */
public final class LongPollClients {
    private LongPollClients() {}

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        List<Socket> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                var s = new Socket();
                sockets.add(s);
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                s.setSoTimeout(60_000);
                s.getOutputStream().write(("GET /poll/" + i + " HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            }
            System.out.println("SENT");
            int received = 0;
            for (int i = 0; i < count; i++) {
                String expected = "event for " + i;
                String got = readBody(sockets.get(i).getInputStream(), expected.length());
                if (!expected.equals(got)) {
                    System.out.println("ERROR client " + i + " got '" + got + "'");
                    System.exit(1);
                }
                received++;
            }
            System.out.println("RECEIVED " + received);
        } finally {
            for (Socket s : sockets) s.close();
        }
    }

    /** Reads a response head and a body of {@code length} bytes. */
    static String readBody(InputStream raw, int length) throws IOException {
        var in = new BufferedInputStream(raw, 512);
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("closed before the head ended");
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }
}
