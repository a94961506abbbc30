package dev.weft.client;

import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.Violation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A scripted server that breaks the rules on purpose (stalls, resets, half-closes, smuggling-shaped
 * and short responses, a response nobody asked for): each fails its exchange with a clear error,
 * closes that connection, and leaves the client able to go on.
 */
class MisbehavingServerTest {
    /** What the server does with one accepted connection; the request has been read when it runs. */
    @FunctionalInterface interface Script { void run(Socket s, int connection) throws IOException, InterruptedException; }

    private ServerSocket listener;
    private final AtomicInteger accepted = new AtomicInteger();
    private HttpClient client;

    private String serve(Script script) throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            try {
                for (;;) {
                    Socket s = listener.accept();
                    int n = accepted.incrementAndGet();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            readHead(s.getInputStream());
                            script.run(s, n);
                        } catch (IOException | InterruptedException ignored) {
                            // the client went away: fine
                        }
                    });
                }
            } catch (IOException closed) {
                // the test ended
            }
        });
        client = HttpClient.builder().loops(1)
                .timeouts(ClientTimeouts.DEFAULTS.withResponseHead(Duration.ofMillis(500)).withRead(Duration.ofMillis(500)))
                .build();
        return "http://127.0.0.1:" + listener.getLocalPort() + "/";
    }

    @AfterEach void stop() throws IOException {
        if (client != null) client.close();
        if (listener != null) listener.close();
    }

    private static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("closed");
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private static void write(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    private Throwable failure(String url) {
        var e = assertThrows(ExecutionException.class, () -> client.send(ClientRequest.get(url)).get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static Violation violation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) if (c instanceof PeerViolation v) return v.violation();
        throw new AssertionError("no PeerViolation in " + t);
    }

    @Test void lengthAndChunkedTogetherIsRefusedNotGuessed() throws Exception {
        String url = serve((s, n) -> write(s, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"));
        assertEquals(Violation.LENGTH_AND_CHUNKED, violation(failure(url)));
    }

    @Test void aBadChunkSizeFailsTheExchange() throws Exception {
        String url = serve((s, n) -> write(s, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
        assertEquals(Violation.BAD_CHUNK_SIZE, violation(failure(url)));
    }

    @Test void anOversizedHeadIsRefused() throws Exception {
        String url = serve((s, n) -> write(s, "HTTP/1.1 200 OK\r\nX: " + "a".repeat(70 << 10) + "\r\n\r\n"));
        assertEquals(Violation.HEADER_SECTION_TOO_LARGE, violation(failure(url)));
    }

    @Test void aBodyShorterThanItsLengthIsAnErrorNotAShortBody() throws Exception {
        String url = serve((s, n) -> write(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this"));
        assertInstanceOf(IOException.class, failure(url));
    }

    @Test void aStallIsTheHeadDeadline() throws Exception {
        String url = serve((s, n) -> Thread.sleep(5_000));
        var t = failure(url);
        assertInstanceOf(SocketTimeoutException.class, t);
    }

    @Test void aStallMidBodyIsTheReadDeadline() throws Exception {
        String url = serve((s, n) -> {
            write(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf");
            Thread.sleep(5_000);
        });
        assertTrue(failure(url).getMessage().contains("body bytes"));
    }

    @Test void aResetMidBodyFailsTheExchange() throws Exception {
        String url = serve((s, n) -> {
            write(s, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nhalf");
            s.setSoLinger(true, 0);
        });
        assertInstanceOf(IOException.class, failure(url));
    }

    @Test void aHalfCloseEndsABodyDelimitedByTheClose() throws Exception {
        String url = serve((s, n) -> {
            write(s, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it");
            s.shutdownOutput();
            Thread.sleep(200);
        });
        assertEquals("all of it", client.send(ClientRequest.get(url)).get(10, TimeUnit.SECONDS).text());
    }

    @Test void aResponseToNoRequestClosesThatConnectionAndTheNextRequestGetsAFreshOne() throws Exception {
        String url = serve((s, n) -> {
            write(s, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nextra");
            Thread.sleep(300);
        });
        assertEquals("ok", client.send(ClientRequest.get(url)).get(10, TimeUnit.SECONDS).text());
        Thread.sleep(100);
        assertEquals("ok", client.send(ClientRequest.get(url)).get(10, TimeUnit.SECONDS).text());
        assertEquals(2, accepted.get(), "the connection that got an unsolicited response was not reused");
    }

    @Test void aKeepAliveConnectionClosedAsWeSendIsRetriedOnceForAGet() throws Exception {
        String url = serve((s, n) -> {
            if (n == 1) {
                write(s, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
                readHead(s.getInputStream());                       // the second request arrives...
                s.setSoLinger(true, 0);                              // ...and the server drops it, unanswered
            } else {
                write(s, "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecond");
                Thread.sleep(300);
            }
        });
        assertEquals("first", client.send(ClientRequest.get(url)).get(10, TimeUnit.SECONDS).text());
        assertEquals("second", client.send(ClientRequest.get(url)).get(10, TimeUnit.SECONDS).text());
        assertEquals(2, accepted.get());
    }

    @Test void aPostIsNotRetried() throws Exception {
        String url = serve((s, n) -> {
            write(s, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
            readHead(s.getInputStream());
            s.setSoLinger(true, 0);
        });
        assertEquals("first", client.send(ClientRequest.get(url)).get(10, TimeUnit.SECONDS).text());
        var e = assertThrows(ExecutionException.class, () -> client.send(ClientRequest.post(url, "x")).get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, e.getCause());
        assertEquals(1, accepted.get(), "not sent twice");
    }
}
