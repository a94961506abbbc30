package dev.weft.server.files;

import dev.weft.loop.spi.FileSource;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.Status;
import dev.weft.server.FileContent;
import dev.weft.server.Response;

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
     * into the connection's buffers and sent with the head (-1: never). Takes the channel.
     */
    static Response body(FileChannel channel, FileSource.Origin origin, ByteRanges.Plan plan, Headers headers,
                         String contentType, long size, long inMemoryBelow) {
        return switch (plan) {
            case ByteRanges.Plan.Whole _ ->
                    Response.file(Status.OK, headers, FileContent.span(channel, 0, size).copyBelow(Math.max(0, inMemoryBelow)).origin(origin));
            case ByteRanges.Plan.Parts(List<ByteRanges.Range> ranges) when ranges.size() == 1 -> {
                var r = ranges.getFirst();
                headers.add("content-range", contentRange(r, size));
                yield Response.file(Status.PARTIAL_CONTENT, headers, FileContent.span(channel, r.first(), r.length()).origin(origin));
            }
            case ByteRanges.Plan.Parts(List<ByteRanges.Range> ranges) -> multipart(channel, origin, ranges, headers, contentType, size);
            case ByteRanges.Plan.Unsatisfiable _ -> throw new IllegalArgumentException("answered before the file is opened");
        };
    }

    /** RFC 9110 §14.6: each part with its own Content-Type and Content-Range, then the closing delimiter. */
    private static Response multipart(FileChannel channel, FileSource.Origin origin, List<ByteRanges.Range> ranges, Headers headers,
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
        return Response.file(Status.PARTIAL_CONTENT, h, new FileContent(channel, parts, 0, origin));
    }

    private static String contentRange(ByteRanges.Range r, long size) {
        return "bytes " + r.first() + "-" + r.last() + "/" + size;
    }
}
