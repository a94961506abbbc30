package dev.weft.protocol.testing;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.Status;
import dev.weft.protocol.http.Version;
import dev.weft.protocol.http1.BodyFraming;
import dev.weft.protocol.http1.Http1Event.EndOfMessage;
import dev.weft.protocol.http1.Http1Event.RequestHead;
import dev.weft.protocol.http1.Http1Event.ResponseHead;
import dev.weft.protocol.http1.Http1Event.Signal;
import dev.weft.protocol.http1.RequestTarget;
import dev.weft.protocol.http1.RequestTarget.Form;
import dev.weft.protocol.http1.Role;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.weft.protocol.testing.Events.data;

/**
 * The standard HTTP/1.1 vectors, requests and responses, shared by parser and writer tests.
 * Each runs whole, byte by byte and at every split in the parser tests.
 */
public final class Vectors {
    private Vectors() {}

    private static final EndOfMessage END = EndOfMessage.NO_TRAILERS;
    private static final Version V11 = Version.HTTP_1_1;

    /** A browser's GET: 12 field lines, about 500 bytes (also the parser benchmark's input). */
    public static final String BROWSER_GET = """
            GET /articles/2024/weft?ref=home&lang=en HTTP/1.1\r
            Host: www.example.com\r
            User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r
            Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r
            Accept-Language: en-US,en;q=0.5\r
            Accept-Encoding: gzip, deflate, br, zstd\r
            Connection: keep-alive\r
            Cookie: session=3f9a1c2e7b4d; theme=dark; consent=yes\r
            Upgrade-Insecure-Requests: 1\r
            Sec-Fetch-Dest: document\r
            Sec-Fetch-Mode: navigate\r
            Sec-Fetch-Site: same-origin\r
            Sec-Fetch-User: ?1\r
            \r
            """;

    public static List<Vector> all() {
        var all = new ArrayList<>(requests());
        all.addAll(responses());
        return all;
    }

    public static List<Vector> requests() {
        return List.of(
            request("simple GET", "GET / HTTP/1.1\r\nHost: x\r\n\r\n",
                get("/", "host", "x"), END),
            request("browser GET", BROWSER_GET, browserHead(), END),
            request("POST fixed", "POST /submit HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world",
                head(Method.POST, Form.ORIGIN, "/submit", V11, new BodyFraming.Fixed(11), true,
                    "host", "x", "content-type", "text/plain", "content-length", "11"),
                data("hello world"), END),
            request("chunked with extensions and trailers",
                "POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5;name=value\r\nhello\r\n6 ; a=b;c\r\n world\r\n0\r\nX-Checksum: abc\r\nX-More: 1\r\n\r\n",
                head(Method.POST, Form.ORIGIN, "/up", V11, BodyFraming.CHUNKED, true, "host", "x", "transfer-encoding", "chunked"),
                data("hello world"), new EndOfMessage(Headers.of("x-checksum", "abc", "x-more", "1"))),
            request("pipelined 3",
                "GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
                    + "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                get("/a", "host", "x"), END,
                head(Method.POST, Form.ORIGIN, "/b", V11, new BodyFraming.Fixed(3), true, "host", "x", "content-length", "3"),
                data("abc"), END,
                head(Method.GET, Form.ORIGIN, "/c", V11, BodyFraming.EMPTY, false, "host", "x", "connection", "close"),
                END, Signal.CLOSED),
            request("HTTP/1.0 keep-alive",
                "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n",
                head(Method.GET, Form.ORIGIN, "/a", Version.HTTP_1_0, BodyFraming.EMPTY, true, "connection", "keep-alive"), END,
                head(Method.GET, Form.ORIGIN, "/b", Version.HTTP_1_0, BodyFraming.EMPTY, false), END, Signal.CLOSED),
            request("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
                head(Method.CONNECT, Form.AUTHORITY, "example.com:443", V11, BodyFraming.EMPTY, true, "host", "example.com:443"),
                END, Signal.PAUSED),
            request("OPTIONS *", "OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n",
                head(Method.OPTIONS, Form.ASTERISK, "*", V11, BodyFraming.EMPTY, true, "host", "x"), END),
            request("absolute form", "GET http://example.com/a?b=c HTTP/1.1\r\nHost: example.com\r\n\r\n",
                head(Method.GET, Form.ABSOLUTE, "http://example.com/a?b=c", V11, BodyFraming.EMPTY, true, "host", "example.com"), END),
            request("upgrade",
                "GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                new RequestHead(Method.GET, new RequestTarget(Form.ORIGIN, "/chat"), V11,
                    Headers.of("host", "x", "upgrade", "websocket", "connection", "Upgrade",
                        "sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==", "sec-websocket-version", "13"),
                    BodyFraming.EMPTY, true, false, true),
                END, Signal.PAUSED),
            request("expect 100-continue", "PUT /f HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\ndata",
                new RequestHead(Method.PUT, new RequestTarget(Form.ORIGIN, "/f"), V11,
                    Headers.of("host", "x", "expect", "100-continue", "content-length", "4"),
                    new BodyFraming.Fixed(4), true, true, false),
                data("data"), END),
            request("empty lines before the request-line", "\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n",
                get("/", "host", "x"), END),
            request("Connection: close", "DELETE /r/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                head(Method.DELETE, Form.ORIGIN, "/r/1", V11, BodyFraming.EMPTY, false, "host", "x", "connection", "close"),
                END, Signal.CLOSED));
    }

    public static List<Vector> responses() {
        return List.of(
            response("200 fixed", List.of(Method.GET), false,
                "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello",
                new ResponseHead(V11, Status.OK, Headers.of("content-length", "5", "content-type", "text/plain"),
                    new BodyFraming.Fixed(5), true),
                data("hello"), END),
            response("200 chunked", List.of(Method.GET), false,
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\nA\r\n0123456789\r\n0\r\n\r\n",
                new ResponseHead(V11, Status.OK, Headers.of("transfer-encoding", "chunked"), BodyFraming.CHUNKED, true),
                data("abc0123456789"), END),
            response("200 until close", List.of(Method.GET), true,
                "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nstreamed until the server closes",
                new ResponseHead(V11, Status.OK, Headers.of("content-type", "text/plain"), BodyFraming.UNTIL_CLOSE, false),
                data("streamed until the server closes"), END, Signal.CLOSED),
            response("204", List.of(Method.DELETE), false, "HTTP/1.1 204 No Content\r\nServer: w\r\n\r\n",
                new ResponseHead(V11, Status.NO_CONTENT, Headers.of("server", "w"), BodyFraming.EMPTY, true), END),
            response("304", List.of(Method.GET), false,
                "HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nContent-Length: 100\r\n\r\n",
                new ResponseHead(V11, Status.NOT_MODIFIED, Headers.of("etag", "\"v1\"", "content-length", "100"),
                    BodyFraming.EMPTY, true), END),
            response("HEAD", List.of(Method.HEAD), false, "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n",
                new ResponseHead(V11, Status.OK, Headers.of("content-length", "1234"), BodyFraming.EMPTY, true), END),
            response("100 then 200", List.of(Method.POST), false,
                "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
                new ResponseHead(V11, Status.CONTINUE, new Headers(), BodyFraming.EMPTY, true), END,
                new ResponseHead(V11, Status.OK, Headers.of("content-length", "2"), new BodyFraming.Fixed(2), true),
                data("ok"), END),
            response("101", List.of(Method.GET), false,
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
                new ResponseHead(V11, Status.SWITCHING_PROTOCOLS, Headers.of("upgrade", "websocket", "connection", "Upgrade"),
                    BodyFraming.EMPTY, true), END, Signal.PAUSED),
            response("200 to CONNECT", List.of(Method.CONNECT), false, "HTTP/1.1 200 Connection Established\r\n\r\n",
                new ResponseHead(V11, Status.of(200, "Connection Established"), new Headers(), BodyFraming.EMPTY, true),
                END, Signal.PAUSED),
            response("pipelined HEAD then GET", List.of(Method.HEAD, Method.GET), false,
                "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nHTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnop",
                new ResponseHead(V11, Status.OK, Headers.of("content-length", "3"), BodyFraming.EMPTY, true), END,
                new ResponseHead(V11, Status.NOT_FOUND, Headers.of("content-length", "3"), new BodyFraming.Fixed(3), true),
                data("nop"), END),
            response("Connection: close", List.of(Method.GET), false,
                "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: 4\r\n\r\noops",
                new ResponseHead(V11, Status.INTERNAL_SERVER_ERROR, Headers.of("connection", "close", "content-length", "4"),
                    new BodyFraming.Fixed(4), false),
                data("oops"), END, Signal.CLOSED));
    }

    private static RequestHead browserHead() {
        return new RequestHead(Method.GET, new RequestTarget(Form.ORIGIN, "/articles/2024/weft?ref=home&lang=en"), V11,
            Headers.of(
                "host", "www.example.com",
                "user-agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                "accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                "accept-language", "en-US,en;q=0.5",
                "accept-encoding", "gzip, deflate, br, zstd",
                "connection", "keep-alive",
                "cookie", "session=3f9a1c2e7b4d; theme=dark; consent=yes",
                "upgrade-insecure-requests", "1",
                "sec-fetch-dest", "document",
                "sec-fetch-mode", "navigate",
                "sec-fetch-site", "same-origin",
                "sec-fetch-user", "?1"),
            BodyFraming.EMPTY, true, false, false);
    }

    /** An HTTP/1.1 GET in origin-form, no body, keep-alive. */
    public static RequestHead get(String target, String... fields) {
        return head(Method.GET, Form.ORIGIN, target, V11, BodyFraming.EMPTY, true, fields);
    }

    /** A request head without Expect or Upgrade. */
    public static RequestHead head(Method method, Form form, String target, Version version, BodyFraming framing,
                                   boolean keepAlive, String... fields) {
        return new RequestHead(method, new RequestTarget(form, target), version, Headers.of(fields), framing,
            keepAlive, false, false);
    }

    private static Vector request(String name, String wire, Object... events) {
        return new Vector(name, Role.SERVER, List.of(), bytes(wire), List.of(events), false);
    }

    private static Vector response(String name, List<Method> sent, boolean end, String wire, Object... events) {
        return new Vector(name, Role.CLIENT, sent, bytes(wire), List.of(events), end);
    }

    public static byte[] bytes(String latin1) { return latin1.getBytes(StandardCharsets.ISO_8859_1); }
}
