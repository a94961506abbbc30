package dev.weft.pubsub;

import dev.weft.loop.EventLoop;
import dev.weft.loop.EventLoopGroup;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The in-process {@link Broker}: topics made on first use (by a publish or a subscribe), kept in
 * a concurrent map, forgotten when empty and idle (see {@link Topic}). Thread-safe.
 * <pre>{@code
 * var topics = Topics.on(group);                       // the server's loops
 * topics.publish("chat", "text/plain", ByteBuffer.wrap("hi".getBytes()));
 * // on a loop: topics.subscribe(loop, "chat", Start.Newest.NEWEST, message -> ...)
 * }</pre>
 */
public final class Topics implements Broker {
    static final int MAX_NAME = 255;

    /** What {@link Topic#subscribe} returns: a subscription with its resume, or a refusal. */
    record Joined(Subscription subscription, Resume resume, Refusal refusal) {}

    private final List<EventLoop> loops;
    private final TopicLimits limits;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();
    private final java.util.concurrent.atomic.LongAdder published = new java.util.concurrent.atomic.LongAdder();
    private final long epochBase;
    private volatile boolean closed;

    private Topics(EventLoopGroup group, TopicLimits limits, LongSupplier clock) {
        this.loops = group.loops();
        this.limits = Objects.requireNonNull(limits);
        this.clock = Objects.requireNonNull(clock);
        // Epochs: the time the process made its first topic, in seconds, plus a random part, and
        // then one more per topic made: an id from before a restart or a delete cannot match.
        this.epochBase = (clock.getAsLong() / 1000 << 16) | (new SecureRandom().nextInt() & 0xffff);
    }

    public static Topics on(EventLoopGroup group) { return on(group, TopicLimits.DEFAULTS); }

    public static Topics on(EventLoopGroup group, TopicLimits limits) { return new Topics(group, limits, System::currentTimeMillis); }

    /** With a clock of milliseconds since the epoch other than the system's (tests move a manual one). */
    public static Topics on(EventLoopGroup group, TopicLimits limits, LongSupplier clockMillis) {
        return new Topics(group, limits, clockMillis);
    }

    public TopicLimits limits() { return limits; }

    LongSupplier clock() { return clock; }

    private final AtomicInteger epochs = new AtomicInteger();

    /** The topic named {@code name}, made if absent; null if the limit on topics is reached. */
    private Topic topic(String name) {
        Topic t = topics.get(name);
        if (t != null) return t;
        if (count.incrementAndGet() > limits.maxTopics()) {
            count.decrementAndGet();
            return topics.get(name);
        }
        Topic made = new Topic(this, name, epochBase + epochs.incrementAndGet(), loops, Math.floorMod(name.hashCode(), loops.size()));
        Topic raced = topics.putIfAbsent(name, made);
        if (raced != null) {
            count.decrementAndGet();
            return raced;
        }
        return made;
    }

    void forget(Topic t) {
        if (topics.remove(t.name, t)) count.decrementAndGet();
    }

    @Override public Published publish(String name, String contentType, String eventType, ByteBuffer bytes) {
        if (closed) return new Published.Refused(Refusal.CLOSED);
        if (!isValidName(name)) return new Published.Refused(Refusal.BAD_TOPIC_NAME);
        if (bytes.remaining() > limits.maxMessageBytes()) return new Published.Refused(Refusal.MESSAGE_TOO_LARGE);
        for (;;) {
            Topic t = topic(name);
            if (t == null) return new Published.Refused(Refusal.TOO_MANY_TOPICS);
            var outcome = t.publish(contentType, eventType, bytes);
            if (outcome == null) continue;                                 // deleted meanwhile: a fresh topic
            if (outcome.refusal() != null) return new Published.Refused(outcome.refusal());
            published.increment();
            return new Published.Accepted(outcome.message(), outcome.subscribers());
        }
    }

    @Override public Subscribed subscribe(EventLoop loop, String name, Start start, Subscriber subscriber) {
        assert loop.inLoop() : "subscribe off the subscriber's loop";
        if (closed) return new Subscribed.Refused(Refusal.CLOSED);
        if (!isValidName(name)) return new Subscribed.Refused(Refusal.BAD_TOPIC_NAME);
        for (;;) {
            Topic t = topic(name);
            if (t == null) return new Subscribed.Refused(Refusal.TOO_MANY_TOPICS);
            var result = t.subscribe(loop, start, subscriber);
            if (result == null) continue;                                  // deleted meanwhile: a fresh topic
            if (result.refusal() != null) return new Subscribed.Refused(result.refusal());
            return new Subscribed.Accepted(result.subscription(), result.resume());
        }
    }

    @Override public Optional<TopicInfo> info(String name) {
        Topic t = topics.get(name);
        return t == null ? Optional.empty() : Optional.of(t.info());
    }

    @Override public boolean delete(String name) {
        Topic t = topics.remove(name);
        if (t == null) return false;
        count.decrementAndGet();
        t.delete(Subscriber.EndReason.TOPIC_DELETED);
        return true;
    }

    /** Messages accepted since this broker was made. */
    public long published() { return published.sum(); }

    /** Topics alive now. */
    public int size() { return count.get(); }

    @Override public void close() {
        closed = true;
        for (String name : List.copyOf(topics.keySet())) {
            Topic t = topics.remove(name);
            if (t != null) t.delete(Subscriber.EndReason.SHUTDOWN);
        }
    }

    /** 1 to 255 characters, none of them a control character. */
    static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) return false;
        for (int i = 0; i < name.length(); i++) if (name.charAt(i) < 0x20 || name.charAt(i) == 0x7f) return false;
        return true;
    }
}
