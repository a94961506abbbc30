package dev.weft.pubsub;

import java.util.Optional;

/**
 * A topic now (Nchan's channel info).
 *
 * @param messages            messages kept in its buffer
 * @param bytes               their size
 * @param subscribers         subscribers now
 * @param last                the newest message's id, if any was ever published (it may have left the buffer)
 * @param lastSeconds         the newest message's Nchan time ({@link Message#seconds()}), 0 if none
 * @param lastTag             the newest message's Nchan tag ({@link Message#tag()}), 0 if none
 * @param lastPublishMillis   when the newest message came, 0 if none
 * @param lastSubscribeMillis when a subscriber last joined, -1 if none ever did
 * @param epoch               the topic's epoch ({@link MessageId#epoch()})
 */
public record TopicInfo(String name, int messages, long bytes, int subscribers, Optional<MessageId> last,
                        long lastSeconds, int lastTag, long lastPublishMillis, long lastSubscribeMillis, long epoch) {}
