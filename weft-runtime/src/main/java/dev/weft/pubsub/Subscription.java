package dev.weft.pubsub;

import dev.weft.internal.Log;

/**
 * A subscriber's place in a topic: loop-confined, like its subscriber. {@link #cancel()} on the
 * loop leaves the topic at once (a client that left is dropped then, not at a deadline).
 */
public final class Subscription {
    private static final Log LOG = Log.of(Subscription.class);

    private final Topic topic;
    private final Topic.Group group;
    private final Subscriber subscriber;
    int index = -1;                            // its place in the group's list
    final long joinedAt;                       // the topic's newest id when it joined: its backlog covers up to there
    private boolean cancelled;
    private long lastSeq;

    Subscription(Topic topic, Topic.Group group, Subscriber subscriber, long joinedAt) {
        this.topic = topic;
        this.joinedAt = joinedAt;
        this.group = group;
        this.subscriber = subscriber;
    }

    public String topic() { return topic.name; }

    public boolean isCancelled() { return cancelled; }

    /** Leaves the topic; no message comes after this returns. Loop thread; idempotent. */
    public void cancel() {
        assert group.loop.inLoop() : "cancel off the subscription's loop";
        if (cancelled) return;
        cancelled = true;
        group.remove(this);
        topic.unsubscribed(group);
    }

    /** How many messages the topic has published beyond the last one handed to this subscriber. */
    public long lag() { return Math.max(0, topic.newestSeq() - lastSeq); }

    void start(Resume resume) {
        try {
            subscriber.onStart(this, resume);
        } catch (RuntimeException | Error e) {
            group.loop.counters().errorContained(e);
            LOG.warn("a subscriber of " + topic.name + " threw; it is cancelled", e);
            cancel();
        }
    }

    void deliver(Message m) {
        lastSeq = m.id().seq();
        try {
            subscriber.onMessage(m);
        } catch (RuntimeException | Error e) {
            group.loop.counters().errorContained(e);
            LOG.warn("a subscriber of " + topic.name + " threw; it is cancelled", e);
            cancel();
        }
    }

    void end(Subscriber.EndReason reason) {
        if (cancelled) return;
        cancel();
        try {
            subscriber.onEnd(reason);
        } catch (RuntimeException | Error e) {
            LOG.warn("a subscriber's onEnd threw", e);
        }
    }
}
