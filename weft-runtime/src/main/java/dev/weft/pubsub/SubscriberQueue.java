package dev.weft.pubsub;

import java.util.ArrayDeque;

/**
 * What one subscriber has received and not yet written, bounded by messages and bytes, with its
 * {@link OverflowPolicy}. Loop thread only: the transport offers each message as it comes and
 * polls while its connection can take more. Messages are shared, so a queued message costs a
 * reference here; the bytes bound counts their size all the same, since a slow subscriber keeps
 * them alive after the topic's buffer let them go.
 */
public final class SubscriberQueue {
    /** What became of an offer. */
    public enum Offer {
        /** Queued. */
        QUEUED,
        /** Queued, and the oldest (or, for KEEP_LATEST, every older) message dropped to make room. */
        DROPPED,
        /** Refused: the subscriber must be ended (DISCONNECT). */
        OVERFLOW
    }

    private final int maxMessages;
    private final long maxBytes;
    private final OverflowPolicy policy;
    private final ArrayDeque<Message> queue = new ArrayDeque<>(2);
    private long bytes;
    private long dropped;

    public SubscriberQueue(int maxMessages, long maxBytes, OverflowPolicy policy) {
        if (maxMessages < 1 || maxBytes < 1) throw new IllegalArgumentException("queue bounds must be positive");
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
        this.policy = policy;
    }

    public Offer offer(Message m) {
        if (policy == OverflowPolicy.KEEP_LATEST) {
            boolean replaced = !queue.isEmpty();
            clear();
            add(m);
            return replaced ? Offer.DROPPED : Offer.QUEUED;
        }
        boolean full = queue.size() >= maxMessages || bytes + m.size() > maxBytes;
        if (!full) {
            add(m);
            return Offer.QUEUED;
        }
        if (policy == OverflowPolicy.DISCONNECT) return Offer.OVERFLOW;
        while (!queue.isEmpty() && (queue.size() >= maxMessages || bytes + m.size() > maxBytes)) {
            bytes -= queue.pollFirst().size();
            dropped++;
        }
        add(m);
        return Offer.DROPPED;
    }

    private void add(Message m) {
        queue.addLast(m);
        bytes += m.size();
    }

    /** The oldest queued message, removed; null when empty. */
    public Message poll() {
        Message m = queue.pollFirst();
        if (m != null) bytes -= m.size();
        return m;
    }

    public Message peek() { return queue.peekFirst(); }

    public boolean isEmpty() { return queue.isEmpty(); }

    public int size() { return queue.size(); }

    public long bytes() { return bytes; }

    /** Messages dropped by the policy so far. */
    public long dropped() { return dropped; }

    public OverflowPolicy policy() { return policy; }

    public void clear() {
        dropped += policy == OverflowPolicy.KEEP_LATEST ? queue.size() : 0;
        queue.clear();
        bytes = 0;
    }
}
