package dev.weft.protocol.http1;

import dev.weft.protocol.http.Violation;
import dev.weft.protocol.http1.Http1Event.RequestHead;
import dev.weft.protocol.testing.Feed;
import dev.weft.protocol.testing.Vectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Host (RFC 9112 §3.2, RFC 9110 §7.2, RFC 3986 §3.2.2): every value whole, byte by byte and at
 * every two-way split, so the check holds however the bytes arrive.
 */
class HostValidationTest {
    private static Http1Parser server() { return new Http1Parser(Role.SERVER, Http1Limits.DEFAULTS); }

    private static String request(String host) { return "GET / HTTP/1.1\r\nHost: " + host + "\r\n\r\n"; }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"localhost", "example.com", "example.com.", "EXAMPLE.com:8080", "xn--bcher-kva.example",
            "a-b_c~d.e", "%41bc", "sub.delims!$&'()*+;=", "127.0.0.1", "127.0.0.1:80", "1.2.3.256", "01.2.3.4",
            "[::1]", "[::1]:8080", "[::]", "[2001:db8::7]", "[2001:DB8:0:0:8:800:200C:417A]", "[::ffff:192.0.2.1]",
            "[1:2:3:4:5:6:7::]", "[1::2:3:4:5:6:7]", "[1:2:3:4:5:6:1.2.3.4]", "[v1.x]", "[vF.a:b!]", "host:", "host:0",
            "host:65535", ""})
    void validHosts(String host) {
        var head = assertInstanceOf(RequestHead.class, Feed.events(HostValidationTest::server, Vectors.bytes(request(host)), false).getFirst());
        assertEquals(host, head.headers().firstOr("host", null));
    }

    @ParameterizedTest(name = "Host: {0}")
    @ValueSource(strings = {"a b", "x/../admin", "evil@x", "x:99999999", "x:65536", "x:123456", "a, b", "a,b", "a%zz", "a%2",
            "x?y", "x#y", "x:y", ":80", "[::1", "[::1]x", "[1:2:3:4:5:6:7:8:9]", "[1::2::3]", "[12345::]", "[:1]", "[1:]",
            "[fe80::1%25eth0]", "[1.2.3.4]", "[::1.2.3]", "[::256.1.1.1]", "[v.x]", "[v1.]", "[]", "caf\u00e9", "a\"b", "a{b}"})
    void invalidHostsAreBadRequests(String host) {
        byte[] wire = request(host).getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(Violation.BAD_HOST, Feed.violation(HostValidationTest::server, wire, false));
        assertEquals(400, Violation.BAD_HOST.status().code());
    }

    @Test void overLongHostsAreRefused() {
        String label = "a".repeat(63) + ".";
        String ok = label.repeat(4).substring(0, 255);
        assertInstanceOf(RequestHead.class, Feed.events(HostValidationTest::server, Vectors.bytes(request(ok)), false).getFirst());
        assertEquals(Violation.BAD_HOST, Feed.violation(HostValidationTest::server, Vectors.bytes(request(ok + "a")), false));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://evil@host/", "http:///path", "http://a b/", "http://host:99999/", "http://a,b/", "http://[::1/"})
    void absoluteFormAuthoritiesAreCheckedTheSameWay(String target) {
        byte[] wire = ("GET " + target + " HTTP/1.1\r\nHost: host\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        Violation v = Feed.violation(HostValidationTest::server, wire, false);
        assertTrue(v == Violation.BAD_TARGET || v == Violation.BAD_REQUEST_LINE, target + ": " + v);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://host/", "http://host:8080/x?y", "https://[::1]:443/", "http://host"})
    void goodAbsoluteForms(String target) {
        var head = assertInstanceOf(RequestHead.class, Feed.events(HostValidationTest::server,
                Vectors.bytes("GET " + target + " HTTP/1.1\r\nHost: host\r\n\r\n"), false).getFirst());
        assertEquals(RequestTarget.Form.ABSOLUTE, head.target().form());
    }

    @Test void connectNeedsAHostAndAPort() {
        assertInstanceOf(RequestHead.class, Feed.events(HostValidationTest::server,
                Vectors.bytes("CONNECT host:443 HTTP/1.1\r\nHost: host:443\r\n\r\n"), false).getFirst());
        for (String bad : new String[] {"host", "host:", "host:0", "user@host:443", "a b:443", "[::1:443"}) {
            byte[] wire = ("CONNECT " + bad + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            Violation v = Feed.violation(HostValidationTest::server, wire, false);
            assertTrue(v == Violation.BAD_TARGET || v == Violation.BAD_REQUEST_LINE, bad + ": " + v);
        }
    }

    @Test void aResponseMayCarryAnyHostField() {
        var client = new Http1Parser(Role.CLIENT, Http1Limits.DEFAULTS);
        client.requestSent(dev.weft.protocol.http.Method.GET);
        client.feed(java.nio.ByteBuffer.wrap(Vectors.bytes("HTTP/1.1 200 OK\r\nHost: a b\r\nContent-Length: 0\r\n\r\n")));
        assertInstanceOf(Http1Event.ResponseHead.class, client.next());
    }
}
