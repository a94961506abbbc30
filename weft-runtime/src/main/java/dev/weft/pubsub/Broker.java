package dev.weft.pubsub;

import dev.weft.loop.EventLoop;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * Where topics live. The contract a broker keeps, so that topics may span processes (a Redis
 * broker later; {@link Topics} is the in-process one):
 * <ol>
 *   <li>{@link #publish} assigns the message its id (increasing per topic, with the topic's epoch)
 *       and its time, keeps it for resume, and delivers it to this process's subscribers: one task
 *       per loop with subscribers.</li>
 *   <li>{@link #subscribe} runs on the subscriber's loop; the backlog its {@link Start} asks for
 *       arrives before any later message, none twice, and the {@link Resume} says what was lost.</li>
 *   <li>Every result that can be refused says why ({@link Refusal}).</li>
 * </ol>
 */
public interface Broker extends AutoCloseable {
    /** The outcome of a publish: the message (and how many subscribers it went to), or why not. */
    sealed interface Published {
        record Accepted(Message message, int subscribers) implements Published {}
        record Refused(Refusal why) implements Published {}
    }

    /** The outcome of a subscribe. */
    sealed interface Subscribed {
        record Accepted(Subscription subscription, Resume resume) implements Subscribed {}
        record Refused(Refusal why) implements Subscribed {}
    }

    /** Any thread. The bytes are copied. {@code contentType} may be empty (none). */
    default Published publish(String topic, String contentType, ByteBuffer bytes) { return publish(topic, contentType, "", bytes); }

    /** Any thread, with the event type SSE subscribers get the message as ({@code ""}: the default). */
    Published publish(String topic, String contentType, String eventType, ByteBuffer bytes);

    /** On {@code loop}, which {@code subscriber} and its subscription then belong to. */
    Subscribed subscribe(EventLoop loop, String topic, Start start, Subscriber subscriber);

    /** Any thread: the topic now, if it exists. */
    Optional<TopicInfo> info(String topic);

    /** Any thread: deletes the topic, ending its subscribers; false if there was none. */
    boolean delete(String topic);

    @Override void close();
}
