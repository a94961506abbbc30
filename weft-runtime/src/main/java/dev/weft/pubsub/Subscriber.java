package dev.weft.pubsub;

/**
 * Receives a topic's messages on the loop it subscribed on, one at a time, in order; must not
 * block. A transport usually writes each message at once while its connection can take it, and
 * queues it in a {@link SubscriberQueue} when not.
 */
public interface Subscriber {
    /**
     * The subscription is in, before its backlog: how the start went, and the subscription, which
     * the subscriber may keep to cancel it (the subscribe call returns it too, but only after the
     * backlog was delivered).
     */
    default void onStart(Subscription subscription, Resume resume) {}

    /** The next message. */
    void onMessage(Message message);

    /** The subscription is over (the topic was deleted, the queue overflowed with DISCONNECT, ...). */
    default void onEnd(EndReason reason) {}

    /** Why a subscription ended. */
    enum EndReason {
        /** The subscriber cancelled. */
        CANCELLED,
        /** The topic was deleted. */
        TOPIC_DELETED,
        /** Its queue was full and its policy is DISCONNECT. */
        QUEUE_OVERFLOW,
        /** The broker is closing. */
        SHUTDOWN
    }
}
