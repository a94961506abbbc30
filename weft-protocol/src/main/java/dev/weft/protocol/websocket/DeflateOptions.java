package dev.weft.protocol.websocket;

/**
 * What an endpoint asks for in permessage-deflate (RFC 7692), and how it compresses.
 *
 * <ul>
 *   <li>{@code serverNoContextTakeover}, {@code clientNoContextTakeover}: ask that the server's,
 *       the client's, compressor start every message afresh (§7.1.1). A server includes these in
 *       its answer whatever the offer said, which RFC 7692 allows it; a client puts them in its
 *       offer. <em>Both default to true</em>: with context takeover each direction keeps its LZ77
 *       window between messages, about 256 KiB of native memory for a Deflater and 40 KiB for an
 *       Inflater per connection, idle or not, which breaks ARCHITECTURE.md rule 3 at 10,000
 *       connections; without it the codec can release both between messages
 *       ({@link PerMessageDeflate#releaseIdle()}). Set them false when the peers are few and the
 *       messages similar: context takeover compresses a stream of small similar messages far
 *       better.</li>
 *   <li>{@code level}: the zlib level, 0-9 ({@link java.util.zip.Deflater}); default 6, zlib's own.</li>
 *   <li>{@code minMessageBytes}: messages shorter than this are sent uncompressed (RFC 7692
 *       leaves the choice to the sender per message, §6). Default 1024, the threshold of Node's
 *       {@code ws}: below it a deflate block rarely pays for its CPU, less so without context.</li>
 * </ul>
 *
 * Window sizes are not options: java.util.zip always compresses with a 32 KiB window (15 bits),
 * so a server declines offers that limit its window and a client never offers to limit its own
 * (see {@link ServerHandshake} and {@link ClientHandshake}).
 */
public record DeflateOptions(boolean serverNoContextTakeover, boolean clientNoContextTakeover, int level, int minMessageBytes) {
    public static final DeflateOptions DEFAULTS = new DeflateOptions(true, true, 6, 1024);

    public DeflateOptions {
        if (level < 0 || level > 9) throw new IllegalArgumentException("level outside 0..9: " + level);
        if (minMessageBytes < 0) throw new IllegalArgumentException("minMessageBytes < 0: " + minMessageBytes);
    }

    /** These options with context takeover allowed ({@code true}) or not for the server's and the client's compressor. */
    public DeflateOptions withContextTakeover(boolean server, boolean client) {
        return new DeflateOptions(!server, !client, level, minMessageBytes);
    }

    public DeflateOptions withLevel(int n) {
        return new DeflateOptions(serverNoContextTakeover, clientNoContextTakeover, n, minMessageBytes);
    }

    public DeflateOptions withMinMessageBytes(int n) {
        return new DeflateOptions(serverNoContextTakeover, clientNoContextTakeover, level, n);
    }
}
