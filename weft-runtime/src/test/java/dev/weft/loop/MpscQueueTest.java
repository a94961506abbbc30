package dev.weft.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class MpscQueueTest {

    @Test
    void capacityRoundsUpToAPowerOfTwo() {
        assertEquals(2, new MpscQueue<>(2).capacity());
        assertEquals(8, new MpscQueue<>(5).capacity());
        assertEquals(65_536, new MpscQueue<>(65_536).capacity());
    }

    @Test
    void boundedOfferFailsWhenFullAndRecoversAfterPoll() {
        var queue = new MpscQueue<Integer>(4);
        for (int i = 0; i < 4; i++) assertTrue(queue.offer(i));
        assertFalse(queue.offer(4), "full");
        assertEquals(0, queue.poll());
        assertTrue(queue.offer(4));
        assertFalse(queue.offer(5));
        for (int i = 1; i <= 4; i++) assertEquals(i, queue.poll());
        assertNull(queue.poll());
        assertTrue(queue.isEmpty());
    }

    @Test
    void fifoAcrossManyLapsOfTheRing() {
        var queue = new MpscQueue<Integer>(8);
        int next = 0;
        int expected = 0;
        for (int round = 0; round < 1000; round++) {
            for (int i = 0; i < 5; i++) assertTrue(queue.offer(next++));
            assertEquals(5, queue.size());
            for (int i = 0; i < 5; i++) assertEquals(expected++, queue.poll());
        }
        assertTrue(queue.isEmpty());
    }

    /** 4 producers x 100k: nothing lost, nothing duplicated, each producer's order kept. */
    @Test
    void multiProducerStressLosesNothing() throws Exception {
        int producers = 4;
        int perProducer = 100_000;
        var queue = new MpscQueue<Long>(1024);
        var start = new CountDownLatch(1);
        var threads = new ArrayList<Thread>();
        for (int p = 0; p < producers; p++) {
            long id = p;
            threads.add(Thread.ofPlatform().start(() -> {
                awaitQuietly(start);
                for (int i = 0; i < perProducer; i++) {
                    Long item = (id << 32) | i;
                    while (!queue.offer(item)) Thread.onSpinWait();   // full: the consumer catches up
                }
            }));
        }
        start.countDown();
        int[] nextSeq = new int[producers];
        long received = 0;
        while (received < (long) producers * perProducer) {
            Long item = queue.poll();
            if (item == null) {
                Thread.onSpinWait();
                continue;
            }
            int producer = (int) (item >>> 32);
            int seq = (int) (long) item;
            assertEquals(nextSeq[producer], seq, "producer " + producer + " out of order or duplicated");
            nextSeq[producer]++;
            received++;
        }
        for (var t : threads) t.join();
        assertNull(queue.poll(), "nothing extra");
        assertEquals(List.of(perProducer, perProducer, perProducer, perProducer),
                List.of(nextSeq[0], nextSeq[1], nextSeq[2], nextSeq[3]));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
