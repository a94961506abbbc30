package dev.weft.pubsub;

/** Where a subscription starts in its topic's retained messages. */
public sealed interface Start {
    /** Only messages published from now on. */
    enum Newest implements Start { NEWEST }

    /** Every message still kept, then the new ones. */
    enum Oldest implements Start { OLDEST }

    /** The messages after {@code id} (a resume). */
    record After(MessageId id) implements Start {}

    /** The messages after Nchan's cursor: published after second {@code seconds}, or in it with a tag above {@code tag}. */
    record AfterTime(long seconds, int tag) implements Start {}
}
