package dev.weft.protocol.http1;

import dev.weft.protocol.http.ByteSink;
import dev.weft.protocol.http.FieldName;
import dev.weft.protocol.http.Headers;
import dev.weft.protocol.http.UsageViolation;
import dev.weft.protocol.internal.Ascii;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Frames one message's body pieces to match the {@link BodyFraming} its head was written with;
 * made per message, by {@link #of}. It enforces the framing, since a wrong byte count desyncs the
 * connection for every message after it (RFC 9112 §6.3):
 * <ul>
 *   <li>{@code Fixed(n)}: pieces pass through; a piece past {@code n} bytes, or a finish short of
 *       them, is a {@link UsageViolation} and writes nothing.</li>
 *   <li>{@code Chunked}: each non-empty piece becomes {@code <hex size>\r\n} piece {@code \r\n}
 *       (RFC 9112 §7.1). An empty piece writes nothing, never a premature last chunk. Finishing
 *       writes {@code 0\r\n}, the trailer fields and {@code \r\n}.</li>
 *   <li>{@code UntilClose}: pieces pass through; the caller closes the connection after finishing.</li>
 *   <li>{@code Empty}: only empty pieces are accepted.</li>
 * </ul>
 * Pieces go to the sink by reference through {@link ByteSink#write(ByteBuffer)}, not copied: the
 * caller must not change a piece after handing it over. Only chunked bodies carry trailers; a
 * finish with trailers for any other framing is a UsageViolation. Not thread-safe.
 */
public final class BodyEncoder {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    private final BodyFraming framing;
    private long written;
    private boolean finished;
    private WriteBuffer scratch;   // chunk-size lines and trailers; made on first need

    private BodyEncoder(BodyFraming framing) { this.framing = framing; }

    public static BodyEncoder of(BodyFraming framing) {
        return new BodyEncoder(Objects.requireNonNull(framing, "framing"));
    }

    /** Writes {@code piece}'s remaining bytes, framed; the sink takes the buffer itself. */
    public void encode(ByteBuffer piece, ByteSink out) {
        if (finished) throw new UsageViolation("body piece after the body was finished");
        int n = piece.remaining();
        switch (framing) {
            case BodyFraming.Empty _ -> {
                if (n > 0) throw new UsageViolation(n + " body bytes for a message without a body (RFC 9110 §6.4.1)");
            }
            case BodyFraming.Fixed(long length) -> {
                if (n > length - written) {
                    throw new UsageViolation("body overruns Content-Length " + length + " by "
                        + (written + n - length) + " bytes (RFC 9112 §6.2)");
                }
                if (n > 0) out.write(piece);
            }
            case BodyFraming.Chunked _ -> {
                if (n > 0) chunk(piece, n, out);
            }
            case BodyFraming.UntilClose _ -> {
                if (n > 0) out.write(piece);
            }
        }
        written += n;
    }

    /** Ends the body without trailers. */
    public void finish(ByteSink out) { finish(Headers.empty(), out); }

    /**
     * Ends the body: the last chunk and {@code trailers} for a chunked body (RFC 9112 §7.1.2),
     * nothing on the wire otherwise.
     *
     * @throws UsageViolation if already finished, short of a Fixed length, or given trailers that
     *         the framing cannot carry or that name a framing or routing field (RFC 9110 §6.5.1)
     */
    public void finish(Headers trailers, ByteSink out) {
        if (finished) throw new UsageViolation("body finished twice");
        switch (framing) {
            case BodyFraming.Chunked _ -> lastChunk(trailers, out);
            case BodyFraming.Fixed(long length) -> {
                noTrailers(trailers);
                if (written < length) {
                    throw new UsageViolation("body ended " + (length - written) + " bytes short of Content-Length "
                        + length + " (RFC 9112 §6.2)");
                }
            }
            case BodyFraming.Empty _, BodyFraming.UntilClose _ -> noTrailers(trailers);
        }
        finished = true;
    }

    public boolean isFinished() { return finished; }

    /** Payload bytes encoded so far, without chunk framing. */
    public long bodyBytes() { return written; }

    private void chunk(ByteBuffer piece, int n, ByteSink out) {
        scratch().hex(n).crlf().drainTo(out);
        out.write(piece);
        out.write(CRLF, 0, 2);
    }

    private void lastChunk(Headers trailers, ByteSink out) {
        if (trailers.isEmpty()) {
            out.write(LAST_CHUNK, 0, LAST_CHUNK.length);
            return;
        }
        for (int i = 0; i < trailers.size(); i++) {
            String name = trailers.name(i);
            if (Ascii.equalsIgnoreCase(name, FieldName.CONTENT_LENGTH)
                || Ascii.equalsIgnoreCase(name, FieldName.TRANSFER_ENCODING)
                || Ascii.equalsIgnoreCase(name, FieldName.HOST)) {
                throw new UsageViolation(name + " cannot be a trailer field (RFC 9110 §6.5.1)");
            }
        }
        WriteBuffer b = scratch().put((byte) '0').crlf();
        for (int i = 0; i < trailers.size(); i++) b.field(trailers.name(i), trailers.value(i));
        b.crlf().drainTo(out);
    }

    private void noTrailers(Headers trailers) {
        if (!trailers.isEmpty()) throw new UsageViolation("trailers need a chunked body (RFC 9112 §7.1.2), not " + framing);
    }

    private WriteBuffer scratch() {
        if (scratch == null) scratch = new WriteBuffer(24);
        return scratch;
    }
}
