package dev.weft.loop.spi;

/**
 * One channel's place in a {@link Poller}. Loop thread only, like the poller itself; reading
 * {@link #interestOps()} and {@link #isValid()} is also safe from other threads.
 */
public interface Registration {
    /** Replaces the set of operations watched ({@link java.nio.channels.SelectionKey} constants);
     *  no effect once the registration is invalid. */
    void interestOps(int ops);

    int interestOps();

    /** Stops watching the channel; it stays open. Idempotent. */
    void cancel();

    /** False once cancelled, or once its channel or poller closed. */
    boolean isValid();
}
