package dev.weft.pubsub;

/**
 * How a subscription's start went, said explicitly: a resume never hides what it lost.
 *
 * @param status what happened
 * @param lost   for {@link Status#GAP}: how many messages the buffer no longer held (0 otherwise)
 */
public record Resume(Status status, long lost) {
    public enum Status {
        /** Nothing was missed: every message after the start point follows. */
        COMPLETE,
        /** Messages after the start point were dropped from the buffer (by count, bytes or age); the rest follow. */
        GAP,
        /** The id is of another epoch (the topic was made again, or the server restarted): the oldest kept follow. */
        OTHER_EPOCH,
        /** The id is newer than the newest message: the client is ahead of us (a restart with a lower count); new ones follow. */
        FUTURE
    }

    public static final Resume COMPLETE = new Resume(Status.COMPLETE, 0);
}
