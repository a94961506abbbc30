package dev.weft.pubsub;

/** Why a publish or a subscribe was refused; the HTTP layer answers each with its status. */
public enum Refusal {
    /** The topic name is empty, too long (over 255 characters) or has control characters: 400. */
    BAD_TOPIC_NAME,
    /** The message is over {@link TopicLimits#maxMessageBytes()}: 413. */
    MESSAGE_TOO_LARGE,
    /** A new topic would pass {@link TopicLimits#maxTopics()}: 503. */
    TOO_MANY_TOPICS,
    /** The topic has {@link TopicLimits#maxSubscribers()} already: 503. */
    TOO_MANY_SUBSCRIBERS,
    /** A loop with subscribers of the topic is too far behind to take another message: 503, try later. */
    OVERLOADED,
    /** The broker is closed: 503. */
    CLOSED
}
