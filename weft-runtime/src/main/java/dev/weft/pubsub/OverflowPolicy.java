package dev.weft.pubsub;

/** What a subscriber's full queue does with one more message. */
public enum OverflowPolicy {
    /** The oldest queued message is dropped: a live view that skips what it could not keep up with. */
    DROP_OLDEST,
    /** Only the newest message is kept: a value that changes (a price, a state), where older ones are worthless. */
    KEEP_LATEST,
    /** The subscriber is ended with a stated reason: a feed that must not silently lose messages. */
    DISCONNECT
}
