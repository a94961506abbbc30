package dev.weft.pubsub;

/**
 * Decides whether a request may publish to or subscribe to a topic (Nchan's
 * {@code nchan_authorize_request}, Centrifugo's tokens). {@code request} is whatever the caller
 * passes, a server's Request for the HTTP routes; a refusal is answered 403. Runs on a loop: a
 * decision that needs I/O belongs in a blocking route instead.
 */
@FunctionalInterface
public interface Authorizer<R> {
    enum Action { PUBLISH, SUBSCRIBE }

    boolean allows(String topic, Action action, R request);

    static <R> Authorizer<R> everyone() { return (_, _, _) -> true; }
}
