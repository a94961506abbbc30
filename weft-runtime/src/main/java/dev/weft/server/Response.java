package dev.weft.server;

import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * A complete response: status, header fields and a body in memory, a {@link BodyWriter} that
 * produces it while it is sent, or a {@link FileContent} sent with sendfile. The server adds Date, Content-Length or Transfer-Encoding and
 * Connection itself (RFC 9110 §6.6.1, RFC 9112 §6).
 *
 * <p>A Response is immutable and may be sent any number of times, by any thread: the server
 * never moves the body buffer's position ({@link #body()} hands out a duplicate) and never changes
 * {@code headers}. The response takes {@code headers} and {@code body}: do not change them after.
 * A reply to HEAD sends the same head without the body (RFC 9110 §9.3.2).
 */
public record Response(Status status, Headers headers, ByteBuffer body, Optional<BodyWriter> writer,
                       Optional<FileContent> file) {
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0).asReadOnlyBuffer();

    public Response {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(writer, "writer");
        Objects.requireNonNull(file, "file");
        body = body.asReadOnlyBuffer();
        if (file.isPresent() && (writer.isPresent() || body.hasRemaining())) {
            throw new IllegalArgumentException("a file response has no other body");
        }
        if (status.isInformational()) throw new IllegalArgumentException("a final response cannot be " + status);
        if (writer.isPresent() && body.hasRemaining()) {
            throw new IllegalArgumentException("a streamed response has no body in memory");
        }
        if (!status.allowsContent() && (body.hasRemaining() || writer.isPresent() || file.isPresent())) {
            throw new IllegalArgumentException(status + " carries no content (RFC 9110 §6.4.1)");
        }
    }

    /** A response with a body in memory. */
    public Response(Status status, Headers headers, ByteBuffer body) {
        this(status, headers, body, Optional.empty(), Optional.empty());
    }

    /** The body from its position to its limit: a fresh read-only view each call. */
    @Override public ByteBuffer body() { return body.duplicate(); }

    /** Bytes in memory or in the file, or -1 for a streamed body of unknown length. */
    public long contentLength() {
        if (file.isPresent()) return file.get().length();
        return writer.isPresent() ? -1 : body.remaining();
    }

    /**
     * A body sent from a file with sendfile (see {@link FileContent}); the response takes the
     * channel, closes it when done, and is sent at most once.
     */
    public static Response file(Status status, Headers headers, FileContent file) {
        return new Response(status, headers, EMPTY, Optional.empty(), Optional.of(file));
    }

    /** Gives back what the response holds (an open file) when it will not be sent. */
    void release() { file.ifPresent(FileContent::release); }

    /** Status only, no body: {@code Response.of(Status.NO_CONTENT)}. */
    public static Response of(Status status) {
        return new Response(status, new Headers(2), EMPTY);
    }

    /** 200 with a plain-text UTF-8 body. */
    public static Response ok(String text) { return text(Status.OK, text); }

    /** {@code status} with a plain-text UTF-8 body. */
    public static Response text(Status status, String text) {
        return new Response(status, Headers.of(FieldName.CONTENT_TYPE, TEXT),
                ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** 200 with {@code application/json}; the text is sent as UTF-8, unchecked. */
    public static Response json(String json) {
        return new Response(Status.OK, Headers.of(FieldName.CONTENT_TYPE, "application/json"),
                ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** 200 with {@code application/octet-stream}. The response takes the array. */
    public static Response bytes(byte[] body) { return bytes(Status.OK, "application/octet-stream", body); }

    /** {@code status} with a body of {@code contentType}. The response takes the array. */
    public static Response bytes(Status status, String contentType, byte[] body) {
        return new Response(status, Headers.of(FieldName.CONTENT_TYPE, contentType), ByteBuffer.wrap(body));
    }

    /**
     * A body produced while it is sent: {@code writer} runs on a virtual thread, writing to a stream
     * that parks it while the client is slow. Framed chunked for HTTP/1.1 (until-close for 1.0),
     * unless {@code headers} has a Content-Length. Not run for a reply to HEAD.
     */
    public static Response streamed(Status status, Headers headers, BodyWriter writer) {
        return new Response(status, headers, EMPTY, Optional.of(writer), Optional.empty());
    }

    /** A copy with one more header line. */
    public Response withHeader(String name, String value) {
        return new Response(status, headers.copy().add(name, value), body, writer, file);
    }
}
