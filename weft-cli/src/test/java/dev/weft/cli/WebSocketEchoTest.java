package dev.weft.cli;

import dev.weft.server.Server;
import dev.weft.server.websocket.WebSockets;
import dev.weft.websocket.WebSocket;
import dev.weft.websocket.WebSocketHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code weft load --ws-echo} against a Weft echo server: every echo counted once, every one timed, nothing left open. */
@Timeout(60)
class WebSocketEchoTest {
    @Test void countsAndTimesEveryEcho() throws Exception {
        var echoed = new LongAdder();
        try (var server = Server.builder().port(0).loops(1).get("/ws", WebSockets.route(_ -> new WebSocketHandler() {
                    @Override public void onText(WebSocket ws, String text) {
                        echoed.increment();
                        ws.sendText(text);
                    }
                })).start()) {
            var uri = URI.create("ws://127.0.0.1:" + server.address().getPort() + "/ws");
            var r = WebSocketEcho.run(new WebSocketEcho.Settings(uri, 8, 2, 64, Duration.ofSeconds(1), 1, false));
            assertTrue(r.messages() > 100, r.line());
            assertEquals(r.messages(), r.latency().getTotalCount(), "one latency per counted echo");
            assertTrue(echoed.sum() >= r.messages(), "the server echoed at least what was counted: " + echoed.sum());

            var out = new ByteArrayOutputStream();
            int status = Load.run(new String[] {"--ws-echo", "-c", "4", "-d", "1", uri.toString()}, new PrintStream(out, true),
                    new PrintStream(new ByteArrayOutputStream()));
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, status, text);
            assertTrue(text.contains("Messages/sec: ") && text.contains("WSECHO messages="), text);
        }
    }
}
