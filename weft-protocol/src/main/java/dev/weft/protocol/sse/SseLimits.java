package dev.weft.protocol.sse;

/**
 * What a server may make an {@link SseDecoder} hold, charged as bytes arrive, so that a hostile
 * or broken server cannot grow a client's memory without bound. The format itself has no limit
 * and no wrong bytes (WHATWG HTML §9.2.5), so these are the only ways a stream can fail.
 *
 * <table>
 *   <tr><th>limit</th><th>default</th><th>exceeded</th><th>why this figure</th></tr>
 *   <tr><td>{@code maxLineBytes}: one line, without its line end</td><td>1 MiB</td>
 *       <td>SSE_LINE_TOO_LONG</td><td>a message is often one line of JSON; the same bound as a
 *       WebSocket frame, and far above the 64 KiB line that trips clients built on Go's
 *       {@code bufio.Scanner}</td></tr>
 *   <tr><td>{@code maxEventBytes}: one message's data, one LF per data line included</td>
 *       <td>16 MiB</td><td>SSE_EVENT_TOO_LARGE</td><td>the same bound as a WebSocket message</td></tr>
 * </table>
 *
 * A line is charged before its end arrives, so the limit trips one byte past it, whatever the
 * reads. Other fields need no limit of their own: an {@code event} or {@code id} value replaces
 * the last one, and comments and unknown fields are not kept.
 */
public record SseLimits(int maxLineBytes, int maxEventBytes) {
    public static final SseLimits DEFAULTS = new SseLimits(1 << 20, 16 << 20);

    public SseLimits {
        if (maxLineBytes < 1) throw new IllegalArgumentException("maxLineBytes < 1: " + maxLineBytes);
        if (maxEventBytes < 1) throw new IllegalArgumentException("maxEventBytes < 1: " + maxEventBytes);
    }

    public SseLimits withMaxLineBytes(int n) { return new SseLimits(n, maxEventBytes); }

    public SseLimits withMaxEventBytes(int n) { return new SseLimits(maxLineBytes, n); }
}
