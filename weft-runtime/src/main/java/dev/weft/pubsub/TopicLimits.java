package dev.weft.pubsub;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds of the topics of one {@link Topics}.
 *
 * <table>
 *   <caption>Defaults and where they come from</caption>
 *   <tr><th>field</th><th>default</th><th>why</th></tr>
 *   <tr><td>bufferLength</td><td>10 messages</td><td>Nchan's {@code nchan_message_buffer_length}</td></tr>
 *   <tr><td>messageTimeout</td><td>1 h</td><td>Nchan's {@code nchan_message_timeout}</td></tr>
 *   <tr><td>bufferBytes</td><td>16 MiB per topic</td><td>keeps ten messages of the largest size with room to spare</td></tr>
 *   <tr><td>maxMessageBytes</td><td>1 MiB</td><td>nginx's {@code client_max_body_size}, which bounds Nchan's publishes; past it 413</td></tr>
 *   <tr><td>maxTopics</td><td>100,000</td><td>a bound on the registry: each topic costs a few hundred bytes idle</td></tr>
 *   <tr><td>maxSubscribers</td><td>100,000 per topic</td><td>more than a process has descriptors for</td></tr>
 *   <tr><td>idleTimeout</td><td>30 s</td><td>a topic with no message and no subscriber is forgotten after it
 *       (Nchan's {@code nchan_channel_timeout} is 5 s; a little longer spares a reconnecting client a new epoch)</td></tr>
 *   <tr><td>queueMessages, queueBytes</td><td>256, 1 MiB</td><td>what one subscriber may have unwritten before its policy applies</td></tr>
 * </table>
 */
public record TopicLimits(int bufferLength, Duration messageTimeout, long bufferBytes, int maxMessageBytes, int maxTopics,
                          int maxSubscribers, Duration idleTimeout, int queueMessages, long queueBytes) {
    public static final TopicLimits DEFAULTS = new TopicLimits(10, Duration.ofHours(1), 16L << 20, 1 << 20, 100_000,
            100_000, Duration.ofSeconds(30), 256, 1L << 20);

    public TopicLimits {
        if (bufferLength < 0 || bufferBytes < 0 || maxMessageBytes < 0 || maxTopics < 1 || maxSubscribers < 1
                || queueMessages < 1 || queueBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        Objects.requireNonNull(messageTimeout);
        Objects.requireNonNull(idleTimeout);
    }

    public TopicLimits withBufferLength(int n) {
        return new TopicLimits(n, messageTimeout, bufferBytes, maxMessageBytes, maxTopics, maxSubscribers, idleTimeout, queueMessages, queueBytes);
    }

    public TopicLimits withMessageTimeout(Duration d) {
        return new TopicLimits(bufferLength, d, bufferBytes, maxMessageBytes, maxTopics, maxSubscribers, idleTimeout, queueMessages, queueBytes);
    }

    public TopicLimits withBufferBytes(long n) {
        return new TopicLimits(bufferLength, messageTimeout, n, maxMessageBytes, maxTopics, maxSubscribers, idleTimeout, queueMessages, queueBytes);
    }

    public TopicLimits withMaxMessageBytes(int n) {
        return new TopicLimits(bufferLength, messageTimeout, bufferBytes, n, maxTopics, maxSubscribers, idleTimeout, queueMessages, queueBytes);
    }

    public TopicLimits withMaxTopics(int n) {
        return new TopicLimits(bufferLength, messageTimeout, bufferBytes, maxMessageBytes, n, maxSubscribers, idleTimeout, queueMessages, queueBytes);
    }

    public TopicLimits withMaxSubscribers(int n) {
        return new TopicLimits(bufferLength, messageTimeout, bufferBytes, maxMessageBytes, maxTopics, n, idleTimeout, queueMessages, queueBytes);
    }

    public TopicLimits withIdleTimeout(Duration d) {
        return new TopicLimits(bufferLength, messageTimeout, bufferBytes, maxMessageBytes, maxTopics, maxSubscribers, d, queueMessages, queueBytes);
    }

    public TopicLimits withQueue(int messages, long bytes) {
        return new TopicLimits(bufferLength, messageTimeout, bufferBytes, maxMessageBytes, maxTopics, maxSubscribers, idleTimeout, messages, bytes);
    }
}
