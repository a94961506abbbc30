package dev.weft.client;

import dev.weft.protocol.http.Status;
import dev.weft.server.Handler;
import dev.weft.server.Request;
import dev.weft.server.Response;
import dev.weft.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Redirects, when asked for: the method and body each status keeps, a bounded count, credentials kept to their origin. */
@Timeout(30)
class RedirectTest {
    private Server server, other;

    private static Response redirect(int code, String to) {
        return Response.of(Status.of(code)).withHeader("location", to);
    }

    /** What the final request looked like: method, body, Authorization. */
    private static Response describe(Request r) throws IOException {
        String body = new String(r.bodyStream().readAllBytes(), StandardCharsets.UTF_8);
        return Response.ok(r.method() + " " + body + " auth=" + r.headers().firstOr("authorization", "-"));
    }

    @BeforeEach void start() throws IOException {
        other = Server.builder().port(0).loops(1).get("/there", (Handler.Blocking) RedirectTest::describe).start();
        server = Server.builder().port(0).loops(1)
                .get("/a", (Handler.Async) (req, ex) -> ex.reply(redirect(302, "/b?x=1")))
                .get("/b", (Handler.Blocking) req -> Response.ok("b " + req.target().query()))
                .post("/form", (Handler.Async) (req, ex) -> ex.reply(redirect(303, "/done")))
                .post("/moved", (Handler.Async) (req, ex) -> ex.reply(redirect(307, "/done")))
                .any("/done", (Handler.Blocking) RedirectTest::describe)
                .get("/loop", (Handler.Async) (req, ex) -> ex.reply(redirect(302, "/loop")))
                .get("/away", (Handler.Async) (req, ex) -> ex.reply(redirect(301,
                        "http://127.0.0.1:" + other.address().getPort() + "/there")))
                .get("/secure", (Handler.Async) (req, ex) -> ex.reply(redirect(302, "https://127.0.0.1/")))
                .start();
    }

    @AfterEach void stop() {
        server.stop(Duration.ofSeconds(1));
        other.stop(Duration.ofSeconds(1));
    }

    private String url(String path) { return "http://127.0.0.1:" + server.address().getPort() + path; }

    @Test void offByDefault() throws Exception {
        try (var client = HttpClient.builder().loops(1).build()) {
            var r = client.send(ClientRequest.get(url("/a"))).get(10, TimeUnit.SECONDS);
            assertEquals(302, r.status().code());
        }
    }

    @Test void followsWithTheMethodEachStatusKeeps() throws Exception {
        try (var client = HttpClient.builder().loops(1).followRedirects(5).build()) {
            assertEquals("b x=1", client.send(ClientRequest.get(url("/a"))).get(10, TimeUnit.SECONDS).text());
            assertEquals("GET  auth=-", client.sendBlocking(ClientRequest.post(url("/form"), "name=x")).text(), "303: a GET, no body");
            assertEquals("POST payload auth=-", client.send(ClientRequest.post(url("/moved"), "payload")).get(10, TimeUnit.SECONDS).text(),
                    "307: the same method and body");
            assertEquals(302, client.send(ClientRequest.get(url("/loop"))).get(10, TimeUnit.SECONDS).status().code(),
                    "a loop ends after the count with the last 3xx");
            assertEquals(302, client.sendBlocking(ClientRequest.get(url("/secure"))).status().code(), "https is not followed");
        }
    }

    @Test void credentialsStayWithTheirOrigin() throws Exception {
        try (var client = HttpClient.builder().loops(1).followRedirects(2).build()) {
            var r = client.send(ClientRequest.get(url("/away")).header("Authorization", "Bearer secret")).get(10, TimeUnit.SECONDS);
            assertEquals("GET  auth=-", r.text());
            var same = client.send(ClientRequest.post(url("/moved"), "p").header("Authorization", "Bearer secret")).get(10, TimeUnit.SECONDS);
            assertEquals("POST p auth=Bearer secret", same.text());
        }
    }
}
