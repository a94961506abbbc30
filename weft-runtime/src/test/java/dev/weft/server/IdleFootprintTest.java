package dev.weft.server;

import dev.weft.testing.LoopHarness;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * ARCHITECTURE.md rule 3, idle costs nothing but its state: an idle keep-alive connection and a parked
 * long-poll hold no parser and no buffer; a connection in the middle of a head holds both.
 */
class IdleFootprintTest {
    @Test void idleAndParkedConnectionsHoldNoParserAndNoBuffer() throws Exception {
        var parked = new ConcurrentLinkedQueue<Exchange>();
        var sockets = new ArrayList<Socket>();
        try (var server = Server.builder().port(0).loops(2)
                .get("/hello", (Handler.Async) (req, ex) -> ex.reply(Response.ok("hello")))
                .get("/poll", (Handler.Async) (req, ex) -> parked.add(ex))
                .start()) {
            try {
                for (int i = 0; i < 40; i++) {
                    var wire = Wire.connect(server.address());
                    assertEquals("hello", wire.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
                    sockets.add(open(server, "GET /poll HTTP/1.1\r\nHost: t\r\n\r\n"));
                    sockets.add(wire.socket);
                }
                long due = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (parked.size() < 40 && System.nanoTime() < due) Thread.sleep(5);
                assertEquals(40, parked.size());
                assertEquals(0, parsersHeld(server), "80 idle or parked connections, no parser held");
                assertEquals(0, buffersLent(server), "and no read buffer");

                sockets.add(open(server, "GET /hello HT"));           // half a request line
                due = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (parsersHeld(server) == 0 && System.nanoTime() < due) Thread.sleep(5);
                assertEquals(1, parsersHeld(server), "a connection mid-head keeps its parser");

                for (Exchange ex; (ex = parked.poll()) != null; ) ex.reply(Response.ok("event"));
                due = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);   // replies are written on the loops, later
                while (server.counters().total().responses() < 80 && System.nanoTime() < due) Thread.sleep(5);
                assertEquals(80, server.counters().total().responses(), "the parked polls were answered");
            } finally {
                for (Socket s : sockets) s.close();
            }
        }
    }

    private static Socket open(Server server, String text) throws Exception {
        var s = new Socket("127.0.0.1", server.address().getPort());
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return s;
    }

    private static long parsersHeld(Server server) {
        long n = 0;
        for (ServerLoop l : server.serverLoops()) n += LoopHarness.callOn(l.loop, loop -> l.connectionsHoldingParsers());
        return n;
    }

    private static long buffersLent(Server server) {
        long n = 0;
        for (ServerLoop l : server.serverLoops()) n += LoopHarness.callOn(l.loop, loop -> (long) loop.buffers().lent());
        return n;
    }
}
