package dev.weft.server;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.testing.LoopHarness;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model of everything a client and an application can do to one connection, in random order:
 * requests of every shape (bodiless, with a body sent whole or in part, chunked, a head cut in
 * two, pipelined), replies now or later, streams that write and end, body readers that pause
 * and resume, a client that reads, stops reading, half-closes or resets. After every step, once
 * the loop has settled, each open connection must wait with a deadline armed (or have a task of
 * its own queued): no state may hold a connection, and its descriptor, for ever. A POST without a
 * body to a route that reads the body, with a request pipelined behind it, was such a state.
 */
class DeadlineModelTest {
    enum Step {
        GET_NOW, GET_PARKED, GET_STREAM, POST_WHOLE, POST_PARTIAL, POST_NO_BODY, POST_IGNORED_BODY,
        POST_CHUNKED_PARTIAL, POST_PAUSING_READER, HEAD_CUT, PIPELINED_PAIR,
        REPLY_PARKED, STREAM_WRITE, STREAM_END, RESUME_READERS, FINISH_BODIES,
        CLIENT_READS, CLIENT_HALF_CLOSES, CLIENT_RESETS
    }

    @Provide Arbitrary<List<Step>> scripts() { return Arbitraries.of(Step.class).list().ofMinSize(1).ofMaxSize(12); }

    @Property(tries = 60)
    void everyStateOfAConnectionHasADeadline(@ForAll("scripts") List<Step> script) throws Exception {
        var parked = new ConcurrentLinkedQueue<Exchange>();
        var streams = new ConcurrentLinkedQueue<ResponseStream>();
        var pausedReaders = new ConcurrentLinkedQueue<Exchange>();
        var pause = new AtomicBoolean(true);
        try (var server = Server.builder().port(0).loops(1)
                .get("/now", (req, ex) -> ex.reply(Response.ok("now")))
                .get("/park", (req, ex) -> parked.add(ex))
                .get("/stream", (req, ex) -> streams.add(ex.stream(Status.OK, new Headers())))
                .post("/collect", Handler.buffered((req, ex) -> ex.reply(Response.ok(req.body().remaining() + ""))))
                .post("/ignore", (req, ex) -> ex.reply(Response.ok("ignored")))
                .post("/read", (req, ex) -> ex.readBody(pausingReader(ex, pause, pausedReaders)))
                .start(); var socket = new Socket("127.0.0.1", server.address().getPort())) {
            socket.setReceiveBufferSize(8 << 10);
            var out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            var owed = new ArrayList<String>();                 // body bytes promised and not yet sent
            for (Step step : script) {
                try {
                    apply(step, out, in, socket, owed, parked, streams, pausedReaders, pause);
                } catch (IOException closedByServer) {
                    // the server may have closed (a violation, a close after a response): still checked below
                }
                settle(server);
                var stuck = stuckConnections(server);
                assertTrue(stuck.isEmpty(), "after " + step + " in " + script + ": no deadline armed on " + stuck);
            }
            streams.forEach(ResponseStream::abort);
        }
    }

    private static void apply(Step step, java.io.OutputStream out, InputStream in, Socket socket, List<String> owed,
                              Queue<Exchange> parked, Queue<ResponseStream> streams, Queue<Exchange> paused,
                              AtomicBoolean pause) throws IOException {
        switch (step) {
            case GET_NOW -> send(out, "GET /now HTTP/1.1\r\nHost: t\r\n\r\n");
            case GET_PARKED -> send(out, "GET /park HTTP/1.1\r\nHost: t\r\n\r\n");
            case GET_STREAM -> send(out, "GET /stream HTTP/1.1\r\nHost: t\r\n\r\n");
            case POST_WHOLE -> send(out, "POST /collect HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
            case POST_PARTIAL -> {
                send(out, "POST /collect HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nhello");
                owed.add("world");
            }
            case POST_NO_BODY -> send(out, "POST /collect HTTP/1.1\r\nHost: t\r\n\r\n");
            case POST_IGNORED_BODY -> send(out, "POST /ignore HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nabc");
            case POST_CHUNKED_PARTIAL -> {
                send(out, "POST /collect HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n");
                owed.add("0\r\n\r\n");
            }
            case POST_PAUSING_READER -> send(out, "POST /read HTTP/1.1\r\nHost: t\r\nContent-Length: 6\r\n\r\nabcdef");
            case HEAD_CUT -> {
                send(out, "GET /now HTTP/1.1\r\nHo");
                owed.add("st: t\r\n\r\n");
            }
            case PIPELINED_PAIR -> send(out, "POST /collect HTTP/1.1\r\nHost: t\r\n\r\nGET /now HTTP/1.1\r\nHost: t\r\n\r\n");
            case REPLY_PARKED -> {
                Exchange ex = parked.poll();
                if (ex != null) ex.reply(Response.ok("later"));
            }
            case STREAM_WRITE -> streams.forEach(s -> { if (s.isReady()) s.write("piece\n"); });
            case STREAM_END -> {
                ResponseStream s = streams.poll();
                if (s != null) s.close();
            }
            case RESUME_READERS -> {
                pause.set(false);
                for (Exchange ex; (ex = paused.poll()) != null; ) ex.resumeBody();
            }
            case FINISH_BODIES -> {
                for (String rest : owed) send(out, rest);
                owed.clear();
            }
            case CLIENT_READS -> {
                byte[] sink = new byte[64 << 10];
                while (in.available() > 0) in.read(sink);
            }
            case CLIENT_HALF_CLOSES -> { if (!socket.isOutputShutdown()) socket.shutdownOutput(); }
            case CLIENT_RESETS -> {
                socket.setSoLinger(true, 0);
                socket.close();
            }
        }
    }

    private static BodyReader pausingReader(Exchange ex, AtomicBoolean pause, Queue<Exchange> paused) {
        return new BodyReader() {
            int size;

            @Override public boolean onBytes(ByteBuffer piece) {
                size += piece.remaining();
                piece.position(piece.limit());
                if (!pause.get()) return true;
                paused.add(ex);
                return false;
            }

            @Override public void onEnd(Headers trailers) { ex.reply(Response.ok(size + " read")); }

            @Override public void onFailure(Throwable cause) { }
        };
    }

    private static void send(java.io.OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    /** Lets bytes cross loopback and the loop run what they caused, twice over. */
    private static void settle(Server server) throws InterruptedException {
        for (int i = 0; i < 2; i++) {
            Thread.sleep(10);
            for (ServerLoop l : server.serverLoops()) LoopHarness.callOn(l.loop, _ -> null);
        }
    }

    private static List<String> stuckConnections(Server server) {
        var stuck = new ArrayList<String>();
        for (ServerLoop l : server.serverLoops()) {
            stuck.addAll(LoopHarness.callOn(l.loop, _ -> l.connections().stream()
                    .filter(c -> !c.waitsWithDeadline()).map(Http1Connection::toString).toList()));
        }
        return stuck;
    }
}
