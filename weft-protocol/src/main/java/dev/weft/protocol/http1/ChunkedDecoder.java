package dev.weft.protocol.http1;

import dev.weft.protocol.http.PeerViolation;
import dev.weft.protocol.http.Violation;
import dev.weft.protocol.internal.Ascii;

/**
 * The framing of a chunked body (RFC 9112 §7.1), one byte at a time:
 * <pre>
 *   chunked-body = *chunk last-chunk trailer-section CRLF
 *   chunk        = chunk-size [ chunk-ext ] CRLF chunk-data CRLF
 *   chunk-ext    = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
 * </pre>
 * Theory of operation: {@link #framing} walks the size line and the CRLF after the data, one enum
 * constant per position and one small method per state (ARCHITECTURE.md convention 4), and stops as soon as
 * data or the trailer section begins. The data itself never passes through here: the parser
 * slices it out of the receive buffer and reports it with {@link #consumeData}. The trailer
 * section is lines, so the parser reads it with {@link HeadLines} and {@link HeadParser}.
 *
 * <p>Budgets: the body limit is charged when a size line ends, before the data arrives, so a
 * huge declared chunk fails at once; everything between the size digits and CR (whitespace and
 * extensions, which we skip) is charged against {@link Http1Limits#maxChunkExtensionBytes()}
 * per message, the bound Node.js added after CVE-2024-22019.
 */
final class ChunkedDecoder {
    enum Chunk { SIZE_START, SIZE, SIZE_WS, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILERS }

    private final int maxExtensionBytes;
    private Chunk state = Chunk.SIZE_START;
    private long size;              // the size being read; in DATA, the bytes still to come
    private long total;             // declared so far in this message
    private long limit;
    private int extensionBytes;

    ChunkedDecoder(Http1Limits limits) { this.maxExtensionBytes = limits.maxChunkExtensionBytes(); }

    /** Starts a new chunked body whose data may total {@code bodyLimit} bytes. */
    void reset(long bodyLimit) {
        state = Chunk.SIZE_START;
        size = total = 0;
        limit = bodyLimit;
        extensionBytes = 0;
    }

    boolean inData() { return state == Chunk.DATA; }

    boolean atTrailers() { return state == Chunk.TRAILERS; }

    /** In DATA: how many bytes of this chunk are still to come. */
    long dataLeft() { return size; }

    void consumeData(int n) {
        size -= n;
        if (size == 0) state = Chunk.DATA_CR;
    }

    /** Consumes framing bytes of {@code a[from, to)} until data, the trailers or the input's end; returns where it stopped. */
    int framing(byte[] a, int from, int to) {
        int i = from;
        while (i < to && state != Chunk.DATA && state != Chunk.TRAILERS) state = step(a[i++]);
        return i;
    }

    private Chunk step(byte b) {
        return switch (state) {
            case SIZE_START -> onFirstDigit(b);
            case SIZE -> onSizeByte(b);
            case SIZE_WS -> onSizeWhitespace(b);
            case EXTENSION -> onExtensionByte(b);
            case SIZE_LF -> onSizeLf(b);
            case DATA_CR -> onDataCr(b);
            case DATA_LF -> onDataLf(b);
            case DATA, TRAILERS -> state;       // framing() stops before these
        };
    }

    /** chunk-size = 1*HEXDIG. */
    private Chunk onFirstDigit(byte b) {
        int digit = Ascii.hexValue(b);
        if (digit < 0) throw peer(Violation.BAD_CHUNK_SIZE, "chunk-size has no hex digit");
        size = digit;
        return Chunk.SIZE;
    }

    private Chunk onSizeByte(byte b) {
        int digit = Ascii.hexValue(b);
        if (digit < 0) return afterSize(b);
        if (size > (Long.MAX_VALUE >>> 4)) throw peer(Violation.CHUNK_SIZE_OVERFLOW, "chunk-size beyond 63 bits");
        size = (size << 4) | digit;
        return Chunk.SIZE;
    }

    /** After the digits: BWS, then ';' and extensions, then CRLF. */
    private Chunk afterSize(byte b) {
        return switch (b) {
            case ' ', '\t' -> charge(Chunk.SIZE_WS);
            case ';' -> charge(Chunk.EXTENSION);
            case '\r' -> Chunk.SIZE_LF;
            case '\n' -> throw peer(Violation.BARE_LF, "chunk-size line ends in LF");
            default -> throw peer(Violation.BAD_CHUNK_SIZE, "unexpected byte after chunk-size");
        };
    }

    /** BWS belongs before ';' only: "5 \r\n" is not in the grammar, and proxies differ on it. */
    private Chunk onSizeWhitespace(byte b) {
        return switch (b) {
            case ' ', '\t' -> charge(Chunk.SIZE_WS);
            case ';' -> charge(Chunk.EXTENSION);
            default -> throw peer(Violation.BAD_CHUNK_SIZE, "whitespace after chunk-size not followed by ';'");
        };
    }

    /** chunk-ext is skipped (we give no extension a meaning) but its bytes must be field text. */
    private Chunk onExtensionByte(byte b) {
        if (b == '\r') return Chunk.SIZE_LF;
        if (b == '\n') throw peer(Violation.BARE_LF, "chunk-ext ends in LF");
        if (!Ascii.isFieldValueByte(b)) throw peer(Violation.BAD_CHUNK_EXTENSION, "control byte in chunk-ext");
        return charge(Chunk.EXTENSION);
    }

    private Chunk onSizeLf(byte b) {
        if (b != '\n') throw peer(Violation.BARE_CR, "CR without LF after chunk-size");
        if (size == 0) return Chunk.TRAILERS;                          // last-chunk (§7.1)
        if (size > limit - total) throw peer(Violation.BODY_TOO_LARGE, "chunked body beyond " + limit + " bytes");
        total += size;
        return Chunk.DATA;
    }

    /** chunk-data is followed by CRLF exactly (§7.1). */
    private Chunk onDataCr(byte b) {
        if (b == '\r') return Chunk.DATA_LF;
        throw peer(b == '\n' ? Violation.BARE_LF : Violation.BAD_CHUNK_END, "chunk-data not followed by CRLF");
    }

    private Chunk onDataLf(byte b) {
        if (b != '\n') throw peer(Violation.BARE_CR, "CR without LF after chunk-data");
        size = 0;
        return Chunk.SIZE_START;
    }

    private Chunk charge(Chunk next) {
        if (++extensionBytes > maxExtensionBytes) {
            throw peer(Violation.CHUNK_EXTENSION_TOO_LONG, "chunk extensions beyond " + maxExtensionBytes + " bytes");
        }
        return next;
    }

    private static PeerViolation peer(Violation v, String detail) { return new PeerViolation(v, detail); }
}
