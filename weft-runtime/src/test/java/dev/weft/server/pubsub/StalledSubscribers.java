package dev.weft.server.pubsub;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of {@link PubSubHostileTest}'s scale case, run as a child JVM so that its
 * sockets count against its own open-file limit: opens N EventSource subscriptions to
 * {@code /sub/CHANNEL} with small receive buffers, prints {@code SENT}, and then never reads a
 * byte, until its standard input closes; with {@code longpoll}, parked long-polls instead.
 * Usage: {@code StalledSubscribers PORT N CHANNEL [longpoll]}.
 */
public final class StalledSubscribers {
    private StalledSubscribers() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        int count = Integer.parseInt(args[1]);
        boolean longPoll = args.length > 3 && args[3].equals("longpoll");
        byte[] request = ("GET /sub/" + args[2] + " HTTP/1.1\r\nHost: t\r\n"
                + (longPoll ? "If-None-Match: 4102444800:0\r\n" : "Accept: text/event-stream\r\n") + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<SocketChannel> sockets = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                var s = SocketChannel.open();
                sockets.add(s);
                s.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
                s.connect(new InetSocketAddress("127.0.0.1", port));
                s.write(ByteBuffer.wrap(request));
            }
            System.out.println("SENT");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold every socket, reading nothing, until the test is done
            }
        } finally {
            for (var s : sockets) s.close();
        }
    }
}
