package dev.weft.pubsub;

import java.util.Optional;

/** A topic now (Nchan's channel info): messages kept, subscribers, the last message and when it came. */
public record TopicInfo(String name, int messages, long bytes, int subscribers, Optional<MessageId> last,
                        Optional<Message> lastMessage, long lastPublishMillis, long epoch) {}
