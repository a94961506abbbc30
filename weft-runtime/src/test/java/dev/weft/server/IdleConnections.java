package dev.weft.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of {@link ManyConnectionsTest}, run as a child JVM so that its sockets count
 * against its own open-file limit: opens N keep-alive connections and prints {@code OPEN n};
 * on the line {@code ASK} from its standard input it sends {@code GET /hello} on every one, reads
 * every answer and prints {@code ANSWERED n}; on end of input it resets them all (SO_LINGER 0, so
 * no TIME_WAIT is left to hold ephemeral ports from the tests after it).
 * Usage: {@code IdleConnections PORT N}.
 */
public final class IdleConnections {
    private IdleConnections() {}

    public static void main(String[] args) throws IOException {
        var address = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        int count = Integer.parseInt(args[1]);
        List<SocketChannel> sockets = new ArrayList<>(count);
        var commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        try {
            for (int i = 0; i < count; i++) {
                var s = SocketChannel.open();
                sockets.add(s);
                s.setOption(StandardSocketOptions.SO_LINGER, 0);
                s.connect(address);
            }
            System.out.println("OPEN " + sockets.size());
            System.out.flush();
            for (String line; (line = commands.readLine()) != null; ) {
                if (!line.equals("ASK")) continue;
                var request = ByteBuffer.wrap("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                for (var s : sockets) s.write(request.rewind());
                int answered = 0;
                var in = ByteBuffer.allocate(512);
                for (var s : sockets) {
                    in.clear();
                    // The answer is one small segment: read until its body, "hello", has come.
                    while (s.read(in) > 0 && !new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII).endsWith("hello")) { }
                    if (new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200")) answered++;
                }
                System.out.println("ANSWERED " + answered);
                System.out.flush();
            }
        } finally {
            for (var s : sockets) s.close();
        }
    }
}
