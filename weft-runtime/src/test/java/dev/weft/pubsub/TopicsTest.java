package dev.weft.pubsub;

import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.testing.LoopHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Topics on real loops with a manual clock: retention, resume, fan-out, limits, deletion. */
class TopicsTest {
    private final LoopHarness harness = LoopHarness.start(2);
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);

    @AfterEach void stop() { harness.close(); }

    private Topics topics(TopicLimits limits) { return Topics.on(harness.group(), limits, clock::get); }

    private static ByteBuffer text(String s) { return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)); }

    private static Message publish(Topics t, String topic, String body) {
        return assertInstanceOf(Broker.Published.Accepted.class, t.publish(topic, "text/plain", text(body))).message();
    }

    /** Subscribes on loop 0 and collects bodies. */
    private record Collector(List<String> got, Broker.Subscribed result) {}

    private Collector subscribe(Topics t, String topic, Start start) {
        var got = new ArrayList<String>();
        Broker.Subscribed result = harness.call(loop -> t.subscribe(loop, topic, start,
                m -> got.add(StandardCharsets.UTF_8.decode(m.bytes()).toString())));
        return new Collector(got, result);
    }

    private List<String> seen(Collector c) {
        harness.run(l -> { });                                   // tasks posted before this ran
        return harness.call(_ -> List.copyOf(c.got()));
    }

    @Test void retentionByCountBytesAndAge() {
        var t = topics(TopicLimits.DEFAULTS.withBufferLength(3).withBufferBytes(10).withMessageTimeout(Duration.ofSeconds(60)));
        for (String s : List.of("a", "b", "c", "d")) publish(t, "x", s);
        assertEquals(List.of("b", "c", "d"), seen(subscribe(t, "x", Start.Oldest.OLDEST)), "by count");
        publish(t, "x", "0123456789");                           // 10 bytes: the rest no longer fit
        assertEquals(List.of("0123456789"), seen(subscribe(t, "x", Start.Oldest.OLDEST)), "by bytes");
        clock.addAndGet(61_000);
        harness.advance(Duration.ofSeconds(61));
        assertEquals(0, t.info("x").orElseThrow().messages(), "by age");
    }

    @Test void resumeSaysWhatItLost() {
        var t = topics(TopicLimits.DEFAULTS.withBufferLength(3));
        List<MessageId> ids = new ArrayList<>();
        for (int i = 1; i <= 5; i++) ids.add(publish(t, "x", "m" + i).id());
        var complete = subscribe(t, "x", new Start.After(ids.get(2)));
        assertEquals(Resume.COMPLETE, ((Broker.Subscribed.Accepted) complete.result()).resume());
        assertEquals(List.of("m4", "m5"), seen(complete));
        var gap = subscribe(t, "x", new Start.After(ids.get(0)));
        assertEquals(new Resume(Resume.Status.GAP, 1), ((Broker.Subscribed.Accepted) gap.result()).resume(), "m2 is gone");
        assertEquals(List.of("m3", "m4", "m5"), seen(gap));
        var other = subscribe(t, "x", new Start.After(new MessageId(ids.getFirst().epoch() + 99, 3)));
        assertEquals(Resume.Status.OTHER_EPOCH, ((Broker.Subscribed.Accepted) other.result()).resume().status());
        assertEquals(List.of("m3", "m4", "m5"), seen(other), "the oldest kept follow");
        var future = subscribe(t, "x", new Start.After(new MessageId(ids.getFirst().epoch(), 99)));
        assertEquals(Resume.Status.FUTURE, ((Broker.Subscribed.Accepted) future.result()).resume().status());
        assertEquals(List.of(), seen(future));
        publish(t, "x", "m6");
        assertEquals(List.of("m6"), seen(future), "then the new ones");
    }

    @Test void idsRoundTripAndJunkNeverThrows() {
        var id = new MessageId(123456789L, 42);
        assertEquals(id, MessageId.parse(id.toString()).orElseThrow());
        for (String junk : new String[] {"", "-", "1-", "-1", "a-b-c", "zzzzzzzzzzzzzz-1", "1-\u0661", "../..", "1 - 2", null}) {
            assertTrue(MessageId.parse(junk).isEmpty(), junk);
        }
    }

    @Test void nchanTimeAndTagCursor() {
        var t = topics(TopicLimits.DEFAULTS);
        Message a = publish(t, "x", "a");
        Message b = publish(t, "x", "b");
        clock.addAndGet(1_000);
        Message c = publish(t, "x", "c");
        assertEquals(0, a.tag());
        assertEquals(1, b.tag());
        assertEquals(0, c.tag(), "a new second starts the tags again");
        assertEquals(List.of("b", "c"), seen(subscribe(t, "x", new Start.AfterTime(a.seconds(), a.tag()))));
        assertEquals(List.of("c"), seen(subscribe(t, "x", new Start.AfterTime(b.seconds(), b.tag()))));
    }

    private Resume resumeOf(Collector c) {
        return assertInstanceOf(Broker.Subscribed.Accepted.class, c.result()).resume();
    }

    @Test void nchanCursorsSayWhatWasLostToo() {
        var t = topics(TopicLimits.DEFAULTS.withBufferLength(2));
        Message a = publish(t, "y", "a");
        clock.addAndGet(1_000);
        Message b = publish(t, "y", "b");
        Message c = publish(t, "y", "c");                        // a leaves the buffer
        assertEquals(Resume.COMPLETE, resumeOf(subscribe(t, "y", new Start.AfterTime(a.seconds(), a.tag()))),
                "the cursor is the message just before the oldest kept");
        clock.addAndGet(1_000);
        publish(t, "y", "d");                                    // b leaves: a's cursor now lost b
        var gap = subscribe(t, "y", new Start.AfterTime(a.seconds(), a.tag()));
        assertEquals(Resume.Status.GAP, resumeOf(gap).status());
        assertEquals(List.of("c", "d"), seen(gap), "the oldest kept follow, as Nchan does");
        assertEquals(Resume.COMPLETE, resumeOf(subscribe(t, "y", new Start.AfterTime(c.seconds(), c.tag()))));
        assertEquals(Resume.Status.OTHER_EPOCH, resumeOf(subscribe(t, "y", new Start.AfterTime(a.seconds() - 60, 0))).status(),
                "a cursor from before the topic was made is an earlier incarnation's");
        var future = subscribe(t, "y", new Start.AfterTime(c.seconds() + 3600, 0));
        assertEquals(Resume.Status.FUTURE, resumeOf(future).status());
        assertEquals(List.of(), seen(future));
        publish(t, "y", "e");
        assertEquals(List.of("e"), seen(future), "a subscriber from the future waits for the next one");
    }

    @Test void aClockSteppedBackNeverMakesIdsGoBack() {
        var t = topics(TopicLimits.DEFAULTS);
        Message a = publish(t, "z", "a");
        clock.addAndGet(-5_000);
        Message b = publish(t, "z", "b");
        assertEquals(a.seconds(), b.seconds());
        assertEquals(a.tag() + 1, b.tag());
    }

    @Test void fanOutIsOneTaskPerLoopAndOneEncodingPerPublish() {
        var t = topics(TopicLimits.DEFAULTS);
        var received = new AtomicInteger();
        var encodings = new AtomicInteger();
        Message.Encoder<String> encoder = m -> {
            encodings.incrementAndGet();
            return "encoded " + m.id();
        };
        for (var loop : harness.group().loops()) {
            harness.run(loop, l -> {
                for (int i = 0; i < 500; i++) t.subscribe(l, "fan", Start.Newest.NEWEST, m -> {
                    m.encoded(encoder);
                    received.incrementAndGet();
                });
            });
        }
        long tasksBefore = tasks();
        publish(t, "fan", "hello");
        for (var loop : harness.group().loops()) harness.run(loop, _ -> { });
        assertEquals(1000, received.get());
        assertEquals(1, encodings.get(), "built once for 1,000 subscribers on 2 loops");
        long tasks = tasks() - tasksBefore;
        // one delivery per loop, one timer request to the topic's home loop, and the barriers just run
        assertTrue(tasks <= 2 + 1 + 2 * 2, "tasks for one publish to 1,000 subscribers: " + tasks);
    }

    private long tasks() {
        long n = 0;
        for (var loop : harness.group().loops()) n += loop.counters().tasksRun();
        return n;
    }

    @Test void limitsAreRefusedWithAReason() {
        var t = topics(TopicLimits.DEFAULTS.withMaxTopics(2).withMaxSubscribers(1).withMaxMessageBytes(4));
        assertEquals(Refusal.MESSAGE_TOO_LARGE, ((Broker.Published.Refused) t.publish("a", "t", text("12345"))).why());
        assertEquals(Refusal.BAD_TOPIC_NAME, ((Broker.Published.Refused) t.publish("x".repeat(256), "t", text("1"))).why());
        assertEquals(Refusal.BAD_TOPIC_NAME, ((Broker.Published.Refused) t.publish("a\nb", "t", text("1"))).why());
        publish(t, "a", "1");
        publish(t, "b", "1");
        assertEquals(Refusal.TOO_MANY_TOPICS, ((Broker.Published.Refused) t.publish("c", "t", text("1"))).why());
        assertInstanceOf(Broker.Subscribed.Accepted.class, subscribe(t, "a", Start.Newest.NEWEST).result());
        assertEquals(Refusal.TOO_MANY_SUBSCRIBERS, ((Broker.Subscribed.Refused) subscribe(t, "a", Start.Newest.NEWEST).result()).why());
    }

    @Test void deletingEndsSubscribersAndAnIdleTopicIsForgotten() {
        var t = topics(TopicLimits.DEFAULTS.withIdleTimeout(Duration.ofSeconds(5)).withMessageTimeout(Duration.ofSeconds(10)));
        var ended = new ArrayList<Subscriber.EndReason>();
        harness.run(l -> t.subscribe(l, "d", Start.Newest.NEWEST, new Subscriber() {
            @Override public void onMessage(Message m) { }
            @Override public void onEnd(EndReason reason) { ended.add(reason); }
        }));
        assertTrue(t.delete("d"));
        harness.run(l -> { });
        assertEquals(List.of(Subscriber.EndReason.TOPIC_DELETED), harness.call(_ -> List.copyOf(ended)));
        assertTrue(t.info("d").isEmpty());

        publish(t, "idle", "m");
        clock.addAndGet(10_000);
        for (int i = 0; i < 3; i++) harness.advance(Duration.ofSeconds(10));   // expiry, then idleness
        clock.addAndGet(10_000);
        for (int i = 0; i < 3; i++) harness.advance(Duration.ofSeconds(10));
        assertTrue(t.info("idle").isEmpty(), "forgotten");
        assertEquals(0, t.size());
    }

    @Test void policiesOfAQueueThatNeverDrains() {
        var t = topics(TopicLimits.DEFAULTS);
        Message[] m = new Message[5];
        for (int i = 0; i < 5; i++) m[i] = publish(t, "q", "m" + i);
        var dropOldest = new SubscriberQueue(3, 1 << 20, OverflowPolicy.DROP_OLDEST);
        var latest = new SubscriberQueue(3, 1 << 20, OverflowPolicy.KEEP_LATEST);
        var disconnect = new SubscriberQueue(3, 1 << 20, OverflowPolicy.DISCONNECT);
        for (Message x : m) {
            dropOldest.offer(x);
            latest.offer(x);
        }
        for (int i = 0; i < 3; i++) assertEquals(SubscriberQueue.Offer.QUEUED, disconnect.offer(m[i]));
        assertEquals(SubscriberQueue.Offer.OVERFLOW, disconnect.offer(m[3]));
        assertEquals(3, dropOldest.size());
        assertEquals(2, dropOldest.dropped());
        assertEquals(m[2], dropOldest.peek());
        assertEquals(1, latest.size());
        assertEquals(m[4], latest.peek());
        var bytes = new SubscriberQueue(100, 4, OverflowPolicy.DROP_OLDEST);
        for (Message x : m) bytes.offer(x);
        assertTrue(bytes.bytes() <= 4, "bounded by bytes too: " + bytes.bytes());
    }

    @Test void tenThousandSubscribersThatNeverDrainHoldFlat() {
        var t = topics(TopicLimits.DEFAULTS);
        var queues = new ArrayList<SubscriberQueue>();
        for (var loop : harness.group().loops()) {
            harness.run(loop, l -> {
                for (int i = 0; i < 5_000; i++) {
                    var q = new SubscriberQueue(16, 64 << 10, OverflowPolicy.DROP_OLDEST);
                    queues.add(q);
                    t.subscribe(l, "flat", Start.Newest.NEWEST, q::offer);
                }
            });
        }
        for (int i = 0; i < 200; i++) publish(t, "flat", "message " + i);
        for (var loop : harness.group().loops()) harness.run(loop, _ -> { });
        long held = 0, dropped = 0;
        for (var q : harness.call(_ -> List.copyOf(queues))) {
            held += q.size();
            dropped += q.dropped();
        }
        assertEquals(10_000L * 16, held, "each queue stops at its bound");
        assertEquals(10_000L * (200 - 16), dropped);
    }

    @Test void concurrentPublishersReachEverySubscriberOnceAndInOrder() throws Exception {
        try (var group = EventLoopGroup.start(LoopConfig.defaults().withLoops(2))) {
            var t = Topics.on(group);
            int publishers = 4, each = 2_000;
            var perSubscriber = new ArrayList<List<MessageId>>();
            var done = new CountDownLatch(20);
            for (int s = 0; s < 20; s++) {
                var seen = new ArrayList<MessageId>();
                perSubscriber.add(seen);
                var loop = group.loops().get(s % 2);
                LoopHarness.callOn(loop, l -> t.subscribe(l, "c", Start.Newest.NEWEST, m -> {
                    seen.add(m.id());
                    if (seen.size() == publishers * each) done.countDown();
                }));
            }
            var threads = new ArrayList<Thread>();
            for (int p = 0; p < publishers; p++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < each; i++) t.publish("c", "t", text("x"));
                }));
            }
            for (Thread th : threads) th.join();
            assertTrue(done.await(20, TimeUnit.SECONDS));
            for (var seen : perSubscriber) {
                for (int i = 0; i < seen.size(); i++) assertEquals(i + 1, seen.get(i).seq(), "every message once, in order");
            }
        }
    }

    @Test void aSubscriberJoiningWhileItsLoopHasMessagesPendingGetsEachOnce() {
        var t = topics(TopicLimits.DEFAULTS);
        var early = new ArrayList<String>();
        var late = new ArrayList<String>();
        harness.run(l -> {
            t.subscribe(l, "p", Start.Newest.NEWEST, m -> early.add(StandardCharsets.UTF_8.decode(m.bytes()).toString()));
            publish(t, "p", "one");                                  // waits in this loop's outbox
            publish(t, "p", "two");
            t.subscribe(l, "p", Start.Oldest.OLDEST, m -> late.add(StandardCharsets.UTF_8.decode(m.bytes()).toString()));
            publish(t, "p", "three");
        });
        harness.run(l -> { });
        assertEquals(List.of("one", "two", "three"), harness.call(_ -> List.copyOf(early)));
        assertEquals(List.of("one", "two", "three"), harness.call(_ -> List.copyOf(late)), "backlog, then only what came after");
    }

    @Test void aLoopTooFarBehindMakesPublishesWaitRatherThanQueue() {
        var t = topics(TopicLimits.DEFAULTS);
        var refused = new AtomicInteger();
        var got = new AtomicInteger();
        harness.run(l -> {
            t.subscribe(l, "slow", Start.Newest.NEWEST, _ -> got.incrementAndGet());
            // the loop is busy here, so nothing drains: the outbox fills to its bound
            for (int i = 0; i <= Topic.MAX_PENDING; i++) {
                if (t.publish("slow", "t", text("m")) instanceof Broker.Published.Refused(Refusal why)) {
                    assertEquals(Refusal.OVERLOADED, why);
                    refused.incrementAndGet();
                }
            }
        });
        harness.run(l -> { });
        assertEquals(1, refused.get(), "the publish past the bound");
        assertEquals(Topic.MAX_PENDING, (int) harness.call(_ -> got.get()));
        publish(t, "slow", "after");                                 // drained: accepted again
    }
}
