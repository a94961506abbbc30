package dev.weft.loop.spi;

/**
 * What a poller calls when a registered channel is ready. Runs on the loop thread and must not
 * block (ARCHITECTURE.md rule 2). {@code readyOps} holds {@link java.nio.channels.SelectionKey} constants.
 * A handler that is also {@link AutoCloseable} is closed, instead of having its channel closed
 * under it, when the loop shuts down.
 */
@FunctionalInterface
public interface Readiness {
    void onReady(int readyOps);
}
