package dev.weft.net;

import java.time.Duration;
import java.util.Objects;

/**
 * Per-connection settings.
 *
 * <table>
 *   <caption>Defaults and where they come from</caption>
 *   <tr><th>field</th><th>default</th><th>why</th></tr>
 *   <tr><td>highWaterMark</td><td>64 KiB</td><td>Netty's {@code WriteBufferWaterMark} default:
 *       above it {@link Connection#isWritable()} turns false (DESIGN rule 4)</td></tr>
 *   <tr><td>lowWaterMark</td><td>32 KiB</td><td>Netty's default: below it the producer is told
 *       to go on ({@link ConnectionHandler#onWritable}); the gap stops flapping</td></tr>
 *   <tr><td>writeStallTimeout</td><td>30 s</td><td>a peer that takes no byte for this long is
 *       gone or hostile (DESIGN rule 5); matches the request-head deadline</td></tr>
 *   <tr><td>tcpNoDelay</td><td>true</td><td>replies are written whole and flushed once, so
 *       Nagle's algorithm only adds latency (RFC 896 meets delayed ACKs)</td></tr>
 * </table>
 */
public record ConnectionOptions(int highWaterMark, int lowWaterMark, Duration writeStallTimeout, boolean tcpNoDelay) {

    public ConnectionOptions {
        if (highWaterMark < 1) throw new IllegalArgumentException("highWaterMark < 1: " + highWaterMark);
        if (lowWaterMark < 0 || lowWaterMark > highWaterMark) {
            throw new IllegalArgumentException("lowWaterMark outside 0..highWaterMark: " + lowWaterMark);
        }
        Objects.requireNonNull(writeStallTimeout, "writeStallTimeout");
        if (writeStallTimeout.isNegative() || writeStallTimeout.isZero()) {
            throw new IllegalArgumentException("writeStallTimeout must be positive: " + writeStallTimeout);
        }
    }

    public static ConnectionOptions defaults() {
        return new ConnectionOptions(64 << 10, 32 << 10, Duration.ofSeconds(30), true);
    }

    public ConnectionOptions withWaterMarks(int high, int low) {
        return new ConnectionOptions(high, low, writeStallTimeout, tcpNoDelay);
    }

    public ConnectionOptions withWriteStallTimeout(Duration d) {
        return new ConnectionOptions(highWaterMark, lowWaterMark, d, tcpNoDelay);
    }

    public ConnectionOptions withTcpNoDelay(boolean on) {
        return new ConnectionOptions(highWaterMark, lowWaterMark, writeStallTimeout, on);
    }
}
