package dev.weft.protocol.http1;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Method;
import dev.weft.protocol.http.UsageViolation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static dev.weft.protocol.http1.Http1Writer.NO_BODY;
import static dev.weft.protocol.http1.Http1Writer.UNKNOWN_LENGTH;
import static org.junit.jupiter.api.Assertions.*;

/** Client role: exact bytes of request heads, and the framing each one decides. */
class RequestWriterTest {
    private final Http1Writer writer = new Http1Writer(new DateCache(0));
    private final WriteRecorder out = new WriteRecorder();

    private BodyFraming write(Method method, String target, Headers headers, long length) {
        return writer.writeRequestHead(method, target, headers, length, out);
    }

    @Test
    void getWithoutBody() {
        // RFC 9112 §3: request-line; §3.2: Host; RFC 9110 §6.6.1: a client sends no Date
        assertEquals(BodyFraming.EMPTY, write(Method.GET, "/index.html?q=1", Headers.of("Host", "example.com"), NO_BODY));
        assertEquals("GET /index.html?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n", out.text());
        assertEquals(1, out.writes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "HEAD", "DELETE", "OPTIONS", "TRACE"})
    void zeroLengthIsOmittedWhereTheMethodAnticipatesNoContent(String name) {
        // RFC 9110 §8.6: SHOULD NOT send Content-Length when the method does not anticipate content
        assertEquals(BodyFraming.EMPTY, write(Method.of(name), "/", Headers.of("Host", "h"), 0));
        assertEquals(name + " / HTTP/1.1\r\nHost: h\r\n\r\n", out.text());
    }

    @Test
    void connectUsesAuthorityFormAndSendsNoLength() {
        // RFC 9112 §3.2.3
        assertEquals(BodyFraming.EMPTY, write(Method.CONNECT, "example.com:443", Headers.of("Host", "example.com:443"), 0));
        assertEquals("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", out.text());
    }

    @Test
    void postWithFixedLength() {
        // RFC 9112 §6.2
        var framing = write(Method.POST, "/submit", Headers.of("Host", "h", "Content-Type", "text/plain"), 3);
        assertEquals(new BodyFraming.Fixed(3), framing);
        var body = BodyEncoder.of(framing);
        body.encode(ByteBuffer.wrap("abc".getBytes(StandardCharsets.US_ASCII)), out);
        body.finish(out);
        assertEquals("POST /submit HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n\r\nabc", out.text());
    }

    @Test
    void emptyUploadsStillSayContentLengthZero() {
        // RFC 9110 §8.6: "a user agent normally sends Content-Length in a POST request even when the value is 0"
        assertEquals(new BodyFraming.Fixed(0), write(Method.POST, "/", Headers.of("Host", "h"), 0));
        assertEquals("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", out.text());
        out.clear();
        assertEquals(BodyFraming.EMPTY, write(Method.PUT, "/", Headers.of("Host", "h"), NO_BODY));
        assertEquals("PUT / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", out.text());
        out.clear();
        assertEquals(new BodyFraming.Fixed(0), write(Method.of("PURGE"), "/", Headers.of("Host", "h"), 0));
        assertEquals("PURGE / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", out.text());
    }

    @Test
    void chunkedUpload() {
        // RFC 9112 §7.1; a request is never delimited by close (§6.3)
        var framing = write(Method.PUT, "/upload", Headers.of("Host", "h"), UNKNOWN_LENGTH);
        assertEquals(BodyFraming.CHUNKED, framing);
        var body = BodyEncoder.of(framing);
        body.encode(ByteBuffer.wrap(new byte[26]), out);
        body.finish(out);
        assertEquals("PUT /upload HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "1a\r\n" + "\0".repeat(26) + "\r\n0\r\n\r\n", out.text());
    }

    @Test
    void callersContentLengthIsWrittenAsSpelled() {
        // RFC 9110 §8.6
        assertEquals(new BodyFraming.Fixed(4), write(Method.POST, "/", Headers.of("Host", "h", "content-length", "4"), UNKNOWN_LENGTH));
        assertEquals("POST / HTTP/1.1\r\nHost: h\r\ncontent-length: 4\r\n\r\n", out.text());
    }

    @Test
    void hostIsTheSendersDuty() {
        // RFC 9112 §3.2: a client MUST send exactly one Host field
        assertMisuse(() -> write(Method.GET, "/", Headers.of("Accept", "*/*"), NO_BODY));
        assertMisuse(() -> write(Method.GET, "/", Headers.of("Host", "a", "Host", "b"), NO_BODY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/a b", "/tab\there", "/caf\u00e9", "/x\r\nEvil: 1", "/\u0000", "/\u007f"})
    void targetMustBeVisibleAscii(String target) {
        // RFC 9112 §3.2: request-target has no whitespace; anything else could split the request line
        assertMisuse(() -> write(Method.GET, target, Headers.of("Host", "h"), NO_BODY));
    }

    @Test
    void framingFieldsAndLengthsAreChecked() {
        // RFC 9112 §6.1: the writer owns Transfer-Encoding; RFC 9110 §8.6: one valid Content-Length
        assertMisuse(() -> write(Method.POST, "/", Headers.of("Host", "h", "Transfer-Encoding", "chunked"), UNKNOWN_LENGTH));
        assertMisuse(() -> write(Method.POST, "/", Headers.of("Host", "h", "Content-Length", "5"), 6));
        assertMisuse(() -> write(Method.POST, "/", Headers.of("Host", "h", "Content-Length", "5x"), UNKNOWN_LENGTH));
        assertMisuse(() -> write(Method.POST, "/", Headers.of("Host", "h"), -7));
    }

    private void assertMisuse(Executable call) {
        assertThrows(UsageViolation.class, call);
        assertEquals(0, out.writes, "nothing reaches the sink before every check has passed");
    }
}
