package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.loop.Transports;
import dev.weft.loop.epoll.EpollTransport;
import dev.weft.loop.nio.NioTransport;
import dev.weft.loop.spi.Transport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A server runs on the transport it is given, and either answers the same. */
class TransportChoiceTest {
    @Test void eachTransportServesWhenChosenInTheBuilder() throws Exception {
        var transports = EpollTransport.unavailability() == null
                ? List.<Transport>of(EpollTransport.INSTANCE, NioTransport.INSTANCE) : List.<Transport>of(NioTransport.INSTANCE);
        for (var transport : transports) {
            try (var server = Server.builder().port(0).loops(1).transport(transport)
                    .get("/hello", (Handler.Async) (request, exchange) -> exchange.reply(Response.ok("hello")))
                    .start()) {
                assertEquals(transport.name(), server.info().transport());
                try (var wire = Wire.connect(server.address())) {
                    assertEquals("hello", wire.send("GET /hello HTTP/1.1\r\nHost: t\r\n\r\n").read().text());
                }
            }
        }
    }

    @Test void transportsAreNamedAndAnUnknownNameIsRefused() {
        assertEquals("nio", Transports.named("NIO").name());
        var thrown = assertThrows(IllegalArgumentException.class, () -> Transports.named("uring"));
        assertEquals("unknown transport 'uring': nio or epoll", thrown.getMessage());
    }
}
