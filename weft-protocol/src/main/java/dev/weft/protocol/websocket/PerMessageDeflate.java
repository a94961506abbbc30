package dev.weft.protocol.websocket;

import java.util.Objects;

/**
 * The permessage-deflate extension (RFC 7692) on one connection: the Inflater that reads the
 * peer's compressed messages and the Deflater that compresses ours, set up from the parameters
 * the handshake agreed on. Give it to the connection's {@link FrameDecoder} and
 * {@link FrameEncoder}; they use it on the connection's loop only.
 *
 * <h2>Native memory: the owner closes it</h2>
 * An Inflater and a Deflater hold memory outside the Java heap (about 40 KiB and 256 KiB) that
 * the garbage collector frees only late, through a cleaner. The connection that made this object
 * owns it and must call {@link #close()} when the connection ends, however it ends; the decoder
 * and encoder never close it. Both halves are made lazily, on the first compressed message each
 * way. When a direction resets its context every message ({@code *_no_context_takeover}), nothing
 * needs to survive between messages, and {@link #releaseIdle()} ends that half until the next
 * compressed message: call it when the connection goes idle, so an idle connection holds no
 * native memory (ARCHITECTURE.md rule 3). With context takeover the window is the state and
 * stays for the connection's life.
 */
public final class PerMessageDeflate implements AutoCloseable {
    private final DeflateParameters parameters;
    private final MessageInflater inflater;
    private final MessageDeflater deflater;
    private boolean closed;

    private PerMessageDeflate(DeflateParameters parameters, boolean peerResets, boolean weReset, DeflateOptions options) {
        this.parameters = parameters;
        this.inflater = new MessageInflater(peerResets);
        this.deflater = new MessageDeflater(weReset, options.level(), options.minMessageBytes());
    }

    /** A server's: inflates the client's messages, compresses its own. */
    public static PerMessageDeflate server(DeflateParameters agreed, DeflateOptions options) {
        Objects.requireNonNull(options, "options");
        return new PerMessageDeflate(agreed, agreed.clientNoContextTakeover(), agreed.serverNoContextTakeover(), options);
    }

    /** A client's: inflates the server's messages, compresses its own. */
    public static PerMessageDeflate client(DeflateParameters agreed, DeflateOptions options) {
        Objects.requireNonNull(options, "options");
        return new PerMessageDeflate(agreed, agreed.serverNoContextTakeover(), agreed.clientNoContextTakeover(), options);
    }

    public DeflateParameters parameters() { return parameters; }

    /**
     * Ends whichever half holds nothing worth keeping: one whose peer or self resets every message,
     * and that is between messages. Returns true if no native memory is held afterwards. Cheap
     * when there is nothing to release; loop thread only.
     */
    public boolean releaseIdle() {
        boolean in = inflater.releaseIdle();
        boolean out = deflater.releaseIdle();
        return in && out;
    }

    /** Ends the Inflater and Deflater. Idempotent; later compressed traffic is a UsageViolation. */
    @Override public void close() {
        if (closed) return;
        closed = true;
        inflater.close();
        deflater.close();
    }

    public boolean isClosed() { return closed; }

    MessageInflater inflater() { return inflater; }

    MessageDeflater deflater() { return deflater; }
}
