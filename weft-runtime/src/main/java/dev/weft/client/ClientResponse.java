package dev.weft.client;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A response read whole: status, header fields (and trailers merged in), body. */
public record ClientResponse(Status status, Headers headers, ByteBuffer body) {
    public ClientResponse {
        body = body.asReadOnlyBuffer();
    }

    /** The body as UTF-8 text. */
    public String text() { return StandardCharsets.UTF_8.decode(body.duplicate()).toString(); }

    public byte[] bytes() {
        byte[] b = new byte[body.remaining()];
        body.duplicate().get(b);
        return b;
    }
}
