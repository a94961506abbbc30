package dev.weft.pubsub;

import dev.weft.internal.Log;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Timer;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One topic: its retention buffer and its subscribers, grouped by the loop they live on.
 *
 * <h2>Theory of operation</h2>
 * <ol>
 *   <li>Shared state (the buffer, the id counters, each loop's subscriber count) is guarded by
 *       {@code lock}, held only to assign an id and append (publish), to read a backlog and count
 *       a subscriber in (subscribe), or to count one out. No I/O, no callback, no allocation
 *       proportional to subscribers happens under it.</li>
 *   <li>Each loop's subscribers are a list that only that loop touches. A publish appends the
 *       message, under the lock, to the outbox of each loop that has subscribers, so every
 *       outbox is in id order whatever the number of publishing threads; the loop empties its
 *       outbox in one task ({@link Group#drain}), handing each message to each subscriber: at
 *       most one task per loop per publish, fewer when publishes come faster than the loop.</li>
 *   <li>Order without loss or repeats: a subscriber is counted in, and its backlog read, under the
 *       same lock a publish takes, and it remembers the newest id then; every later message goes
 *       through its loop's outbox, which the loop (running the subscribe right now) drains after
 *       the backlog is delivered, and a message from the outbox at or before that id is one the
 *       backlog covered, so it is skipped.</li>
 *   <li>An outbox is bounded ({@link #MAX_PENDING}): a loop that falls that far behind makes
 *       publishes to its topics fail ({@link Refusal#OVERLOADED}) rather than queue without
 *       end.</li>
 *   <li>Retention by age and forgetting an idle topic run on one timer on the topic's home loop,
 *       armed for the next thing that can happen (the oldest message's expiry, or the idle
 *       deadline), never by scanning topics.</li>
 * </ol>
 */
final class Topic {
    private static final Log LOG = Log.of(Topic.class);
    /** Messages a loop may have waiting in one topic's outbox; a healthy loop drains it within a task. */
    static final int MAX_PENDING = 1 << 16;

    final String name;
    final long epoch;
    private final Topics topics;
    private final EventLoop home;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Message> buffer = new ArrayDeque<>();
    private final Group[] groups;
    private final AtomicBoolean timerRequested = new AtomicBoolean();
    // guarded by lock
    private long bufferBytes;
    private long seq;
    private long lastSecond = -1;
    private int tagInSecond;
    private long evictedSecond = -1;             // the id of the last message to leave the buffer
    private int evictedTag = -1;
    private final long createdSecond;
    private long lastPublishMillis;
    private long lastActiveMillis;
    private long lastSubscribeMillis = -1;
    private int subscribers;
    private boolean deleted;
    // home loop only
    private Timer timer;

    Topic(Topics topics, String name, long epoch, List<EventLoop> loops, int home) {
        this.topics = topics;
        this.name = name;
        this.epoch = epoch;
        this.home = loops.get(home);
        this.groups = new Group[loops.size()];
        for (int i = 0; i < groups.length; i++) groups[i] = new Group(loops.get(i));
        this.lastActiveMillis = topics.clock().getAsLong();
        this.createdSecond = Math.floorDiv(lastActiveMillis, 1000);
        this.lastSecond = createdSecond - 1;
    }

    // ---- publish: any thread ----

    /** What a publish did: the message and the subscribers it went to, or why it was refused; null if deleted meanwhile. */
    record Outcome(Message message, int subscribers, Refusal refusal) {}

    /** Appends a message and fans it out; null if the topic was deleted meanwhile (the caller retries). */
    Outcome publish(String contentType, String eventType, ByteBuffer bytes) {
        Message m;
        int reached;
        Group[] wake = new Group[groups.length];
        int waking = 0;
        lock.lock();
        try {
            if (deleted) return null;
            for (Group g : groups) if (g.count > 0 && g.pending.get() >= MAX_PENDING) return new Outcome(null, 0, Refusal.OVERLOADED);
            long now = topics.clock().getAsLong();
            // A clock stepped back must not make ids go back: the second never decreases.
            long second = Math.max(Math.floorDiv(now, 1000), lastSecond);
            if (second != lastSecond) {
                lastSecond = second;
                tagInSecond = 0;
            } else {
                tagInSecond++;
            }
            m = new Message(name, new MessageId(epoch, ++seq), now, second, tagInSecond, contentType, eventType, copy(bytes));
            lastPublishMillis = now;
            lastActiveMillis = now;
            append(m);
            reached = subscribers;
            for (Group g : groups) {
                if (g.count > 0 && g.enqueue(m)) wake[waking++] = g;
            }
        } finally {
            lock.unlock();
        }
        for (int i = 0; i < waking; i++) post(wake[i], wake[i]::drain);
        requestTimer();
        return new Outcome(m, reached, null);
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        ByteBuffer c = ByteBuffer.allocate(bytes.remaining());
        c.put(bytes.duplicate()).flip();
        return c;
    }

    private void append(Message m) {
        TopicLimits limits = topics.limits();
        if (limits.bufferLength() == 0) return;
        buffer.addLast(m);
        bufferBytes += m.size();
        while (buffer.size() > limits.bufferLength() || (bufferBytes > limits.bufferBytes() && buffer.size() > 1)) evictOldest();
    }

    private void evictOldest() {
        Message gone = buffer.pollFirst();
        bufferBytes -= gone.size();
        evictedSecond = gone.seconds();
        evictedTag = gone.tag();
    }

    private int[] targets() {
        int n = 0;
        for (Group g : groups) if (g.count > 0) n++;
        int[] t = new int[n];
        n = 0;
        for (int i = 0; i < groups.length; i++) if (groups[i].count > 0) t[n++] = i;
        return t;
    }

    private static void post(Group g, Runnable task) {
        try {
            g.loop.execute(task);
        } catch (RejectedExecutionException stopped) {
            // the loop is shutting down: its subscribers' connections go with it
        }
    }

    // ---- subscribe: on the subscriber's loop ----

    /** Counts {@code s} in and delivers its backlog; null if the topic was deleted meanwhile (retry). */
    Topics.Joined subscribe(EventLoop loop, Start start, Subscriber s) {
        Group g = groups[loop.index()];
        List<Message> backlog;
        Resume resume;
        long joinedAt;
        lock.lock();
        try {
            if (deleted) return null;
            if (subscribers >= topics.limits().maxSubscribers()) return new Topics.Joined(null, null, Refusal.TOO_MANY_SUBSCRIBERS);
            resume = resume(start);
            backlog = backlog(start, resume);
            joinedAt = seq;
            g.count++;
            subscribers++;
            lastActiveMillis = topics.clock().getAsLong();
            lastSubscribeMillis = lastActiveMillis;
        } finally {
            lock.unlock();
        }
        var subscription = new Subscription(this, g, s, joinedAt);
        g.add(subscription);
        subscription.start(resume);
        for (Message m : backlog) {
            if (subscription.isCancelled()) break;
            subscription.deliver(m);
        }
        return new Topics.Joined(subscription, resume, null);
    }

    private Resume resume(Start start) {
        return switch (start) {
            case Start.Newest _, Start.Oldest _ -> Resume.COMPLETE;
            case Start.After(MessageId id) -> {
                if (id.epoch() != epoch) yield new Resume(Resume.Status.OTHER_EPOCH, 0);
                if (id.seq() > seq) yield new Resume(Resume.Status.FUTURE, 0);
                long firstKept = buffer.isEmpty() ? seq + 1 : buffer.peekFirst().id().seq();
                long lost = Math.max(0, firstKept - id.seq() - 1);
                yield lost == 0 ? Resume.COMPLETE : new Resume(Resume.Status.GAP, lost);
            }
            case Start.AfterTime(long seconds, int tag) -> {
                // Nchan's cursors carry no epoch: one from before this topic was made is another epoch's.
                if (seconds < createdSecond) yield new Resume(Resume.Status.OTHER_EPOCH, 0);
                if (seconds > lastSecond || (seconds == lastSecond && tag > tagInSecond)) {
                    yield new Resume(Resume.Status.FUTURE, 0);
                }
                Message first = buffer.peekFirst();
                if (first == null) yield seq == 0 ? Resume.COMPLETE : lostSince(seconds, tag);
                // the cursor must be the message just before the first kept, or after it
                boolean before = first.seconds() > seconds || (first.seconds() == seconds && first.tag() > tag);
                yield before && !justBefore(seconds, tag, first) ? new Resume(Resume.Status.GAP, -1) : Resume.COMPLETE;
            }
        };
    }

    /** The buffer is empty but messages were published: whether the cursor saw the last of them. */
    private Resume lostSince(long seconds, int tag) {
        return seconds == lastSecond && tag == tagInSecond ? Resume.COMPLETE : new Resume(Resume.Status.GAP, -1);
    }

    /**
     * Whether cursor (seconds, tag) is the id of the message published just before {@code first}:
     * then nothing between them was lost. Known exactly within a second (the tag before); across
     * seconds only if the message before was the previous id's (the evicted one's id is kept).
     */
    private boolean justBefore(long seconds, int tag, Message first) {
        if (first.tag() > 0) return first.seconds() == seconds && first.tag() == tag + 1;
        return evictedSecond == seconds && evictedTag == tag;
    }

    private List<Message> backlog(Start start, Resume resume) {
        var out = new ArrayList<Message>();
        for (Message m : buffer) {
            boolean take = switch (start) {
                case Start.Newest _ -> false;
                case Start.Oldest _ -> true;
                case Start.After(MessageId id) -> resume.status() == Resume.Status.OTHER_EPOCH || (resume.status() != Resume.Status.FUTURE && m.id().seq() > id.seq());
                case Start.AfterTime(long seconds, int tag) -> m.seconds() > seconds || (m.seconds() == seconds && m.tag() > tag);
            };
            if (take) out.add(m);
        }
        return out;
    }

    /** On the subscriber's loop: counts it out. */
    void unsubscribed(Group g) {
        lock.lock();
        try {
            g.count--;
            subscribers--;
            lastActiveMillis = topics.clock().getAsLong();
        } finally {
            lock.unlock();
        }
        requestTimer();
    }

    // ---- info and delete: any thread ----

    TopicInfo info() {
        lock.lock();
        try {
            boolean any = seq > 0;
            return new TopicInfo(name, buffer.size(), bufferBytes, subscribers,
                    any ? Optional.of(new MessageId(epoch, seq)) : Optional.empty(), any ? lastSecond : 0, any ? tagInSecond : 0,
                    lastPublishMillis, lastSubscribeMillis, epoch);
        } finally {
            lock.unlock();
        }
    }

    /** Ends every subscriber with TOPIC_DELETED and forgets the messages. */
    void delete(Subscriber.EndReason reason) {
        int[] targets;
        lock.lock();
        try {
            if (deleted) return;
            deleted = true;
            buffer.clear();
            bufferBytes = 0;
            targets = targets();
        } finally {
            lock.unlock();
        }
        for (int i : targets) post(groups[i], () -> groups[i].endAll(reason));
        post(groups[home.index()], () -> {
            if (timer != null) timer.cancel();
        });
    }

    long newestSeq() {
        lock.lock();
        try {
            return seq;
        } finally {
            lock.unlock();
        }
    }

    // ---- retention and idleness: the home loop ----

    private void requestTimer() {
        if (timerRequested.compareAndSet(false, true)) post(groups[home.index()], this::arm);
    }

    private void arm() {
        timerRequested.set(false);
        if (timer == null) timer = home.newTimer(this::onTimer);
        long now = topics.clock().getAsLong();
        long next;
        lock.lock();
        try {
            if (deleted) return;
            Message oldest = buffer.peekFirst();
            long expiry = oldest == null ? Long.MAX_VALUE : oldest.millis() + topics.limits().messageTimeout().toMillis();
            long idle = buffer.isEmpty() && subscribers == 0 ? lastActiveMillis + topics.limits().idleTimeout().toMillis() : Long.MAX_VALUE;
            next = Math.min(expiry, idle);
        } finally {
            lock.unlock();
        }
        if (next == Long.MAX_VALUE) timer.cancel();
        else timer.schedule(Math.max(0, next - now), TimeUnit.MILLISECONDS);
    }

    private void onTimer() {
        long now = topics.clock().getAsLong();
        boolean forget;
        lock.lock();
        try {
            long timeout = topics.limits().messageTimeout().toMillis();
            while (!buffer.isEmpty() && buffer.peekFirst().millis() + timeout <= now) evictOldest();
            forget = buffer.isEmpty() && subscribers == 0 && now - lastActiveMillis >= topics.limits().idleTimeout().toMillis();
            if (forget) deleted = true;
        } finally {
            lock.unlock();
        }
        if (forget) {
            topics.forget(this);
            LOG.debug(() -> "topic " + name + " forgotten: empty and idle");
            return;
        }
        arm();
    }

    /** The subscribers of one topic on one loop; {@code count} is guarded by the topic's lock, the list is the loop's. */
    final class Group {
        final EventLoop loop;
        int count;
        private final ArrayList<Subscription> list = new ArrayList<>(2);
        // Filled under the topic's lock (so in id order), emptied by the loop; pending counts what is in it.
        private final ConcurrentLinkedQueue<Message> outbox = new ConcurrentLinkedQueue<>();
        private final AtomicInteger pending = new AtomicInteger();
        private boolean delivering;
        private int cancelledWhileDelivering;

        Group(EventLoop loop) { this.loop = loop; }

        void add(Subscription s) {
            s.index = list.size();
            list.add(s);
        }

        /** Under the topic's lock: true if the outbox was empty, so the caller must post a drain. */
        boolean enqueue(Message m) {
            outbox.offer(m);
            return pending.getAndIncrement() == 0;
        }

        /** On the loop: every message in the outbox to each subscriber, in order. */
        void drain() {
            // Each count was added after its message was offered, so while it is above zero there is one to poll.
            do {
                deliver(outbox.poll());
            } while (pending.decrementAndGet() > 0);
        }

        /** The message to each subscriber that joined before it; one that cancels meanwhile is skipped, and swept after. */
        private void deliver(Message m) {
            long seq = m.id().seq();
            delivering = true;
            try {
                for (int i = 0, n = list.size(); i < n; i++) {
                    Subscription s = list.get(i);
                    if (!s.isCancelled() && seq > s.joinedAt) s.deliver(m);
                }
            } finally {
                delivering = false;
            }
            if (cancelledWhileDelivering > 0) {
                cancelledWhileDelivering = 0;
                list.removeIf(Subscription::isCancelled);
                for (int i = 0; i < list.size(); i++) list.get(i).index = i;
            }
        }

        /** O(1): the last subscriber takes the leaving one's place; while delivering, it is swept afterwards. */
        void remove(Subscription s) {
            if (delivering) {
                cancelledWhileDelivering++;
                return;
            }
            int i = s.index;
            if (i < 0 || i >= list.size() || list.get(i) != s) return;
            Subscription last = list.removeLast();
            if (last != s) {
                list.set(i, last);
                last.index = i;
            }
            s.index = -1;
        }

        void endAll(Subscriber.EndReason reason) {
            for (Iterator<Subscription> it = new ArrayList<>(list).iterator(); it.hasNext(); ) it.next().end(reason);
        }
    }
}
