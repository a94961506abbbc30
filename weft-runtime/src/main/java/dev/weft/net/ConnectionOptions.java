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
 *       above it {@link Connection#isWritable()} turns false (ARCHITECTURE.md rule 4)</td></tr>
 *   <tr><td>lowWaterMark</td><td>32 KiB</td><td>Netty's default: below it the producer is told
 *       to go on ({@link ConnectionHandler#onWritable}); the gap stops flapping</td></tr>
 *   <tr><td>writeStallTimeout</td><td>30 s</td><td>a peer that takes no byte for this long is
 *       gone or hostile (ARCHITECTURE.md rule 5); matches the request-head deadline</td></tr>
 *   <tr><td>tcpNoDelay</td><td>true</td><td>replies are written whole and flushed once, so
 *       Nagle's algorithm only adds latency (RFC 896 meets delayed ACKs)</td></tr>
 *   <tr><td>minWriteRate</td><td>500 bytes/s</td><td>while output is pending, the peer must take at
 *       least this many bytes per second, judged over each {@code writeStallTimeout} window;
 *       otherwise the connection is aborted as stalled. A peer that reads one byte now and then
 *       never trips the stall deadline, yet holds the connection and its queued output for ever.
 *       The figure is Apache's mod_reqtimeout {@code MinRate} default; 0 turns the check off.</td></tr>
 * </table>
 * The water marks bound the memory a connection's output holds, not only its unsent bytes: a
 * pooled buffer counts whole while queued (see {@link Connection#isWritable()}).
 */
public record ConnectionOptions(int highWaterMark, int lowWaterMark, Duration writeStallTimeout, boolean tcpNoDelay,
                                int minWriteRate) {

    public ConnectionOptions {
        if (highWaterMark < 1) throw new IllegalArgumentException("highWaterMark < 1: " + highWaterMark);
        if (lowWaterMark < 0 || lowWaterMark > highWaterMark) {
            throw new IllegalArgumentException("lowWaterMark outside 0..highWaterMark: " + lowWaterMark);
        }
        Objects.requireNonNull(writeStallTimeout, "writeStallTimeout");
        if (writeStallTimeout.isNegative() || writeStallTimeout.isZero()) {
            throw new IllegalArgumentException("writeStallTimeout must be positive: " + writeStallTimeout);
        }
        if (minWriteRate < 0) throw new IllegalArgumentException("minWriteRate < 0: " + minWriteRate);
    }

    private static final int DEFAULT_MIN_WRITE_RATE = 500;

    public static ConnectionOptions defaults() {
        return new ConnectionOptions(64 << 10, 32 << 10, Duration.ofSeconds(30), true, DEFAULT_MIN_WRITE_RATE);
    }

    public ConnectionOptions withWaterMarks(int high, int low) {
        return new ConnectionOptions(high, low, writeStallTimeout, tcpNoDelay, minWriteRate);
    }

    public ConnectionOptions withWriteStallTimeout(Duration d) {
        return new ConnectionOptions(highWaterMark, lowWaterMark, d, tcpNoDelay, minWriteRate);
    }

    public ConnectionOptions withTcpNoDelay(boolean on) {
        return new ConnectionOptions(highWaterMark, lowWaterMark, writeStallTimeout, on, minWriteRate);
    }

    /** Bytes per second the peer must take while output is pending; 0 for no minimum. */
    public ConnectionOptions withMinWriteRate(int bytesPerSecond) {
        return new ConnectionOptions(highWaterMark, lowWaterMark, writeStallTimeout, tcpNoDelay, bytesPerSecond);
    }
}
