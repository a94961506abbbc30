package dev.weft.loop;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.internal.Log;
import dev.weft.loop.spi.Readiness;
import dev.weft.testing.LogCapture;
import dev.weft.testing.LoopHarness;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A loop never dies: whatever a task, a timer or a channel's handler throws, Errors included,
 * is counted and the loop goes on serving. Each failure is injected for real (thrown on the loop
 * thread), then the loop must still run a task and fire a timer.
 */
class LoopSurvivalTest {
    /** What a loop meets in the wild: bugs, exhausted memory or stack, a class that failed to load. */
    private static final List<Supplier<Throwable>> FAILURES = List.of(
            () -> new IllegalStateException("a bug"),
            () -> new OutOfMemoryError("Java heap space (injected)"),
            StackOverflowError::new,
            () -> new NoClassDefFoundError("Could not initialize class sun.util.calendar.ZoneInfoFile (injected)"),
            () -> new ExceptionInInitializerError("injected"),
            () -> new InternalError("injected"));

    @Test
    void aLoopOutlivesEveryKindOfThrowableFromTasksAndTimers() throws Exception {
        try (var harness = LoopHarness.start(1); var log = LogCapture.start()) {
            var loop = harness.loop();
            for (var failure : FAILURES) {
                loop.execute(() -> { throw sneaky(failure.get()); });
                harness.run(l -> l.schedule(1, TimeUnit.MILLISECONDS, () -> { throw sneaky(failure.get()); }));
                harness.advance(java.time.Duration.ofMillis(20));
            }
            assertStillServes(harness);
            var counters = loop.counters();
            assertEquals(2L * FAILURES.size(), counters.errorsContained());
            assertEquals(2, counters.outOfMemoryErrors());
            assertEquals(2L * FAILURES.size(), log.entries().size(), "one record per failure: " + log.entries());
        }
    }

    @Test
    void aChannelHandlerThatThrowsAnErrorLosesItsChannelAndNothingElse() throws Exception {
        try (var harness = LoopHarness.start(1); var log = LogCapture.start()) {
            var bad = Pipe.open();
            var good = Pipe.open();
            var goodRead = new CompletableFuture<Boolean>();
            harness.run(l -> {
                bad.source().configureBlocking(false);
                good.source().configureBlocking(false);
                l.register(bad.source(), SelectionKey.OP_READ, _ -> { throw new OutOfMemoryError("injected"); });
                l.register(good.source(), SelectionKey.OP_READ, drain(good, goodRead));
            });
            bad.sink().write(ByteBuffer.wrap(new byte[] {1}));
            good.sink().write(ByteBuffer.wrap(new byte[] {1}));
            assertTrue(LoopHarness.await(goodRead));
            assertStillServes(harness);
            harness.run(l -> assertTrue(!bad.source().isOpen(), "the failed channel was closed, not leaked"));
        }
    }

    @Test
    void loggingThatThrowsIsSwallowedAndCounted() throws Exception {
        var broken = Log.divert((level, logger, message, cause) -> {
            throw new NoClassDefFoundError("Could not initialize class sun.util.calendar.ZoneInfoFile (injected)");
        });
        try (var harness = LoopHarness.start(1)) {
            long before = Log.dropped();
            harness.loop().execute(() -> { throw new IllegalStateException("a bug whose report cannot be written"); });
            assertStillServes(harness);
            assertTrue(Log.dropped() > before, "the record that could not be written was counted");
            assertDoesNotThrow(() -> Log.of(LoopSurvivalTest.class).warn("again", new RuntimeException()));
        } finally {
            broken.close();
        }
    }

    private static void assertStillServes(LoopHarness harness) {
        assertEquals("alive", harness.call(_ -> "alive"));
        var fired = new CompletableFuture<Boolean>();
        harness.run(l -> l.schedule(1, TimeUnit.SECONDS, () -> fired.complete(true)));
        harness.advance(java.time.Duration.ofSeconds(2));
        assertTrue(LoopHarness.await(fired), "timers still fire");
    }

    private static Readiness drain(Pipe pipe, CompletableFuture<Boolean> read) {
        return _ -> {
            try {
                pipe.source().read(ByteBuffer.allocate(16));
                read.complete(true);
            } catch (IOException e) {
                read.completeExceptionally(e);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T { throw (T) t; }
}
