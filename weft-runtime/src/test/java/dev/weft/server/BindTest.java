package dev.weft.server;

import org.junit.jupiter.api.Test;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Starting on an address someone else holds fails at once with one clear line that names the
 * address, instead of sharing the port through SO_REUSEPORT and silently taking half of its
 * connections. The kernel sees sockets, not processes: a socket of this JVM stands for another
 * program's.
 */
class BindTest {
    private static Server.Builder on(String host, int port) {
        return Server.builder().host(host).port(port).loops(2).get("/hello", (req, ex) -> ex.reply(Response.ok("hello")));
    }

    @Test void aPortHeldByAnotherListenerIsRefusedWithTheAddressNamed() throws Exception {
        try (var other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = other.getLocalPort();
            var e = assertThrows(BindException.class, () -> on("127.0.0.1", port).start());
            assertEquals("cannot listen on 127.0.0.1:" + port + ": the address is already in use (another process listens there)",
                    e.getMessage());
        }
    }

    @Test void aSecondWeftServerOnTheSamePortIsRefusedDespiteReusePort() throws Exception {
        try (var first = on("127.0.0.1", 0).start()) {
            int port = first.address().getPort();
            var e = assertThrows(BindException.class, () -> on("127.0.0.1", port).start());
            assertTrue(e.getMessage().contains("127.0.0.1:" + port) && e.getMessage().contains("in use"), e.getMessage());
            try (var wire = Wire.connect(first.address())) {
                assertEquals("hello", wire.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().text(), "the first still serves");
            }
        }
    }

    @Test void hostsThatCannotBeBoundSayWhy() {
        var unknown = assertThrows(BindException.class, () -> on("no-such-host.invalid", 8080).start());
        assertEquals("cannot listen on no-such-host.invalid:8080: the host name does not resolve", unknown.getMessage());
        var foreign = assertThrows(BindException.class, () -> on("192.0.2.1", 8080).start());     // TEST-NET-1
        assertEquals("cannot listen on 192.0.2.1:8080: no interface of this machine has that address", foreign.getMessage());
    }

    @Test void aFailedStartLeavesNoLoopThreadsBehind() throws Exception {
        try (var other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            long before = loopThreads();
            assertThrows(BindException.class, () -> on("127.0.0.1", other.getLocalPort()).start());
            assertEquals(before, loopThreads());
        }
    }

    private static long loopThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("weft-loop-") && t.isAlive()).count();
    }
}
