package dev.weft.client;

/** A request in progress, for the caller that reads it piece by piece. Any thread. */
public interface ClientCall {
    /** Resumes reading after {@link ResponseReader#onBytes} returned false. */
    void resume();

    /** Gives up: the connection is closed (it cannot be reused mid-response) and the reader is told. */
    void cancel();
}
