package dev.weft.server.files;

import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.server.FileContent;
import dev.weft.server.Response;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** The body of a file response, from the plan {@link ByteRanges} made: whole, one range, or several. */
final class FileBodies {
    private static final SecureRandom BOUNDARIES = new SecureRandom();

    private FileBodies() {}

    /**
     * The response for an open file. {@code inMemoryBelow}: a whole file at most this long is read
     * now and the channel closed (-1: never). Takes the channel in every case.
     */
    static Response body(FileChannel channel, ByteRanges.Plan plan, Headers headers, String contentType,
                         long size, long inMemoryBelow) {
        return switch (plan) {
            case ByteRanges.Plan.Whole _ -> size <= inMemoryBelow ? inMemory(channel, headers, size)
                    : Response.file(Status.OK, headers, FileContent.span(channel, 0, size));
            case ByteRanges.Plan.Parts(List<ByteRanges.Range> ranges) when ranges.size() == 1 -> {
                var r = ranges.getFirst();
                headers.add("content-range", contentRange(r, size));
                yield Response.file(Status.PARTIAL_CONTENT, headers, FileContent.span(channel, r.first(), r.length()));
            }
            case ByteRanges.Plan.Parts(List<ByteRanges.Range> ranges) -> multipart(channel, ranges, headers, contentType, size);
            case ByteRanges.Plan.Unsatisfiable _ -> throw new IllegalArgumentException("answered before the file is opened");
        };
    }

    /**
     * A small file read whole: head and body then leave in one gathering write, which costs less
     * than a write plus a sendfile for a few KiB. A file that shrank meanwhile sends what it has,
     * with the length that matches it.
     */
    private static Response inMemory(FileChannel channel, Headers headers, long size) {
        try (channel) {
            ByteBuffer bytes = ByteBuffer.allocate((int) size);
            while (bytes.hasRemaining() && channel.read(bytes) >= 0) { /* until full or EOF */ }
            return new Response(Status.OK, headers, bytes.flip());
        } catch (IOException e) {
            return Response.text(Status.INTERNAL_SERVER_ERROR, "the file could not be read\n");
        }
    }

    /** RFC 9110 §14.6: each part with its own Content-Type and Content-Range, then the closing delimiter. */
    private static Response multipart(FileChannel channel, List<ByteRanges.Range> ranges, Headers headers,
                                      String contentType, long size) {
        byte[] random = new byte[12];
        BOUNDARIES.nextBytes(random);
        String boundary = "weft-" + HexFormat.of().formatHex(random);
        var parts = new ArrayList<FileContent.Part>();
        for (var r : ranges) {
            String head = (parts.isEmpty() ? "" : "\r\n") + "--" + boundary + "\r\nContent-Type: " + contentType
                    + "\r\nContent-Range: " + contentRange(r, size) + "\r\n\r\n";
            parts.add(new FileContent.Part.Bytes(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII))));
            parts.add(new FileContent.Part.Span(r.first(), r.length()));
        }
        parts.add(new FileContent.Part.Bytes(ByteBuffer.wrap(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII))));
        var h = new Headers(8);
        for (var field : headers) {
            if (!field.name().equalsIgnoreCase("content-type")) h.add(field.name(), field.value());
        }
        h.add("content-type", "multipart/byteranges; boundary=" + boundary);
        return Response.file(Status.PARTIAL_CONTENT, h, new FileContent(channel, parts));
    }

    private static String contentRange(ByteRanges.Range r, long size) {
        return "bytes " + r.first() + "-" + r.last() + "/" + size;
    }
}
