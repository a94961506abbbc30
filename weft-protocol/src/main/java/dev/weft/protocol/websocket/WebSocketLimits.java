package dev.weft.protocol.websocket;

/**
 * The sizes a peer may spend, checked from frame headers before the payload arrives, so a limit
 * trips before the memory is spent (ARCHITECTURE.md convention 6). Defaults are ARCHITECTURE.md's
 * limits table:
 *
 * <table>
 *   <tr><th>limit</th><th>default</th><th>exceeded</th><th>why this figure</th></tr>
 *   <tr><td>frame payload</td><td>1 MiB</td><td>close 1009</td><td>above what browsers put in one
 *       frame; Jetty and Netty's decoder default to 64 KiB, which breaks larger unfragmented sends</td></tr>
 *   <tr><td>message</td><td>16 MiB</td><td>close 1009</td><td>the same as the HTTP body limit, so
 *       an upload is bounded alike over either protocol; Jetty defaults to 64 KiB</td></tr>
 * </table>
 *
 * The message limit counts a message's payload as received and, when it is compressed
 * (RFC 7692), also its inflated size, checked as inflation proceeds. Control frames are bounded
 * to 125 bytes by the protocol itself (RFC 6455 §5.5), so the frame limit may not be below that.
 */
public record WebSocketLimits(int maxFrameBytes, long maxMessageBytes) {
    public static final WebSocketLimits DEFAULTS = new WebSocketLimits(1 << 20, 16L << 20);

    public WebSocketLimits {
        if (maxFrameBytes < 125) throw new IllegalArgumentException("maxFrameBytes < 125: " + maxFrameBytes);
        if (maxMessageBytes < 125) throw new IllegalArgumentException("maxMessageBytes < 125: " + maxMessageBytes);
    }

    public WebSocketLimits withMaxFrameBytes(int n) { return new WebSocketLimits(n, maxMessageBytes); }

    public WebSocketLimits withMaxMessageBytes(long n) { return new WebSocketLimits(maxFrameBytes, n); }
}
