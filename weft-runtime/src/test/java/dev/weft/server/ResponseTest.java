package dev.weft.server;

import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResponseTest {
    @Test void factories() {
        var ok = Response.ok("hi");
        assertEquals(Status.OK, ok.status());
        assertEquals("text/plain; charset=utf-8", ok.headers().firstOr(FieldName.CONTENT_TYPE, ""));
        assertEquals(2, ok.contentLength());
        assertEquals(0, Response.of(Status.NO_CONTENT).contentLength());
        assertEquals("application/json", Response.json("{}").headers().firstOr(FieldName.CONTENT_TYPE, ""));
        assertEquals(3, Response.bytes(new byte[3]).contentLength());
        var streamed = Response.streamed(Status.OK, new Headers(), out -> out.write(1));
        assertEquals(-1, streamed.contentLength());
        assertTrue(streamed.writer().isPresent());
    }

    @Test void sharedResponsesAreNeverConsumed() {
        var ok = Response.ok("hello");
        ByteBuffer first = ok.body();
        first.get(new byte[5]);
        assertEquals("hello", StandardCharsets.UTF_8.decode(ok.body()).toString());
        assertTrue(ok.body().isReadOnly());
    }

    @Test void withHeaderCopies() {
        var ok = Response.ok("x");
        var tagged = ok.withHeader("x-tag", "1");
        assertEquals("1", tagged.headers().firstOr("x-tag", ""));
        assertFalse(ok.headers().contains("x-tag"));
    }

    @Test void impossibleResponsesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Response.text(Status.NO_CONTENT, "body"));
        assertThrows(IllegalArgumentException.class, () -> Response.of(Status.CONTINUE));
        assertThrows(IllegalArgumentException.class,
                () -> Response.streamed(Status.NOT_MODIFIED, new Headers(), out -> {}));
    }
}
