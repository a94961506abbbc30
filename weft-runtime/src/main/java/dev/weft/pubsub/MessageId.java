package dev.weft.pubsub;

import java.util.Optional;

/**
 * Where a message stands in its topic: the topic's epoch (fixed when the topic is made, so ids of
 * an earlier incarnation are recognised) and its sequence number, from 1, without gaps. The
 * canonical form is {@code <epoch>-<seq>} in base 36; {@link #parse} takes what clients send
 * back and never throws.
 */
public record MessageId(long epoch, long seq) implements Comparable<MessageId> {
    public MessageId {
        if (epoch < 0 || seq < 0) throw new IllegalArgumentException("negative id: " + epoch + "-" + seq);
    }

    /** Parses the canonical form; empty for anything else (a hostile client's junk included). */
    public static Optional<MessageId> parse(String text) {
        if (text == null || text.length() > 30) return Optional.empty();
        int dash = text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1) return Optional.empty();
        long epoch = base36(text, 0, dash), seq = base36(text, dash + 1, text.length());
        return epoch < 0 || seq < 0 ? Optional.empty() : Optional.of(new MessageId(epoch, seq));
    }

    /** A non-negative base-36 number of at most 12 digits, else -1. */
    private static long base36(String s, int from, int to) {
        if (to - from > 12) return -1;
        long n = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 36);
            if (d < 0 || s.charAt(i) > 'z') return -1;
            n = n * 36 + d;
        }
        return n;
    }

    @Override public int compareTo(MessageId o) {
        return epoch != o.epoch ? Long.compare(epoch, o.epoch) : Long.compare(seq, o.seq);
    }

    @Override public String toString() { return Long.toString(epoch, 36) + "-" + Long.toString(seq, 36); }
}
