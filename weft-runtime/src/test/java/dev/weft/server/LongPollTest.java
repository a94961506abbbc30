package dev.weft.server;

import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many parked long-polls at once: an async handler parks every exchange in a queue, costing no
 * thread; one other thread then answers them all.
 *
 * <p>9,000, not 10,000: client and server sockets share this JVM, so N polls hold 2N descriptors,
 * and the machine allows 20,000 per process, which 10,000 pairs plus the JVM's own files exceed.
 */
class LongPollTest {
    static final int CLIENTS = 9_000;

    @Test void nineThousandParkedLongPollsAllAnswered() throws Exception {
        var parked = new ConcurrentLinkedQueue<Exchange>();
        var sockets = new ArrayList<Socket>(CLIENTS);
        try (var server = Server.builder().port(0).loops(2).backlog(4096)
                .get("/poll/{id}", (Handler.Async) (req, ex) -> parked.add(ex))
                .start()) {
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    var s = new Socket();
                    sockets.add(s);
                    s.connect(server.address(), 10_000);
                    s.setSoTimeout(30_000);
                    s.getOutputStream().write(("GET /poll/" + i + " HTTP/1.1\r\nHost: t\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                }
                long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (parked.size() < CLIENTS && System.nanoTime() < due) Thread.sleep(10);
                assertEquals(CLIENTS, parked.size(), "every poll parked");
                assertEquals(CLIENTS, server.counters().total().connectionsOpen());

                var replier = Thread.ofPlatform().start(() -> {
                    for (Exchange ex; (ex = parked.poll()) != null; ) {
                        String id = ex.request().pathParam("id");
                        ex.reply(Response.ok("event for " + id));
                    }
                });
                for (int i = 0; i < CLIENTS; i++) {
                    String expected = "event for " + i;
                    assertEquals(expected, readBody(sockets.get(i).getInputStream(), expected.length()), "client " + i);
                }
                replier.join();
                assertEquals(CLIENTS, server.counters().total().responses());
            } finally {
                for (Socket s : sockets) s.close();
            }
        }
    }

    /** Reads a response head and a body of {@code length} bytes. */
    private static String readBody(InputStream raw, int length) throws Exception {
        var in = new BufferedInputStream(raw, 512);
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            assertTrue(b >= 0, "closed before the head ended");
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }

}
