package dev.weft.server;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes a response body that is produced while it is sent (see {@link Response#streamed}). Runs
 * on a virtual thread of its own, in the request's context; {@code out} parks that thread while
 * the client is slow. The response ends when this method returns; an exception aborts it.
 */
@FunctionalInterface
public interface BodyWriter {
    void writeTo(OutputStream out) throws IOException;
}
