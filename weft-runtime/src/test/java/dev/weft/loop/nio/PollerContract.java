package dev.weft.loop.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.loop.spi.Poller;
import dev.weft.loop.spi.Readiness;
import dev.weft.loop.spi.Registration;
import dev.weft.testing.LogCapture;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Poller} passes (ARCHITECTURE.md convention 9): implement {@link #open()} in a test
 * class per transport. The test thread plays the loop thread. Blocking polls here are always
 * ended by data or a wakeup already in place, or bounded by a short timeout.
 */
public interface PollerContract {
    Poller open() throws IOException;

    /** A pipe whose read end the poller can watch: java.nio's unless a transport has its own. */
    default TestPipe pipe() throws IOException { return TestPipe.nio(); }

    /** One pipe: its read end is what is registered, its write end makes it readable. */
    interface TestPipe {
        Registration register(Poller poller, int ops, Readiness handler);

        void send(int bytes) throws IOException;

        boolean isSourceOpen();

        static TestPipe nio() throws IOException {
            var pipe = Pipe.open();
            pipe.source().configureBlocking(false);
            return new TestPipe() {
                @Override public Registration register(Poller poller, int ops, Readiness handler) {
                    return poller.register(pipe.source(), ops, handler);
                }
                @Override public void send(int bytes) throws IOException { pipe.sink().write(ByteBuffer.allocate(bytes)); }
                @Override public boolean isSourceOpen() { return pipe.source().isOpen(); }
            };
        }
    }

    private static void send(TestPipe pipe, int bytes) throws IOException { pipe.send(bytes); }

    @Test
    default void aReadyChannelsHandlerRunsWithItsReadyOps() throws IOException {
        try (var poller = open()) {
            var pipe = pipe();
            var seen = new ArrayList<Integer>();
            pipe.register(poller, SelectionKey.OP_READ, seen::add);
            poller.poll(0);
            assertTrue(seen.isEmpty(), "nothing to read yet");
            send(pipe, 1);
            poller.poll(TimeUnit.SECONDS.toNanos(10));
            assertEquals(List.of(SelectionKey.OP_READ), seen);
        }
    }

    @Test
    default void readinessIsLevelTriggered() throws IOException {
        try (var poller = open()) {
            var pipe = pipe();
            int[] calls = {0};
            pipe.register(poller, SelectionKey.OP_READ, _ -> calls[0]++);
            send(pipe, 4);
            poller.poll(TimeUnit.SECONDS.toNanos(10));
            poller.poll(0);                          // nothing was read: still ready
            assertEquals(2, calls[0]);
        }
    }

    @Test
    default void wakeupEndsABlockingPollAndIsRememberedIfNoneIsBlocked() throws Exception {
        try (var poller = open()) {
            poller.wakeup();
            poller.poll(Long.MAX_VALUE);            // returns: the wakeup came first
            // Before or during the poll, it does not matter: either way the poll returns.
            var waker = Thread.ofPlatform().start(poller::wakeup);
            poller.poll(Long.MAX_VALUE);
            waker.join();
        }
    }

    @Test
    default void aShortTimeoutReturnsWithNothingReady() throws IOException {
        try (var poller = open()) {
            var pipe = pipe();
            int[] calls = {0};
            pipe.register(poller, SelectionKey.OP_READ, _ -> calls[0]++);
            poller.poll(TimeUnit.MILLISECONDS.toNanos(1));
            assertEquals(0, calls[0]);
        }
    }

    @Test
    default void interestOpsAndCancelControlWhatIsReported() throws IOException {
        try (var poller = open()) {
            var pipe = pipe();
            int[] calls = {0};
            var registration = pipe.register(poller, SelectionKey.OP_READ, _ -> calls[0]++);
            send(pipe, 1);
            registration.interestOps(0);
            assertEquals(0, registration.interestOps());
            poller.poll(0);
            assertEquals(0, calls[0], "not watched");
            registration.interestOps(SelectionKey.OP_READ);
            poller.poll(TimeUnit.SECONDS.toNanos(10));
            assertEquals(1, calls[0]);
            registration.cancel();
            assertFalse(registration.isValid());
            registration.interestOps(SelectionKey.OP_READ);     // no effect, no exception
            poller.poll(0);
            assertEquals(1, calls[0], "cancelled");
            assertTrue(pipe.isSourceOpen(), "cancel leaves the channel open");
        }
    }

    @Test
    default void aThrowingHandlersChannelIsClosedAndOthersStillRun() throws IOException {
        for (Throwable thrown : List.of(new IllegalStateException("handler bug"), new OutOfMemoryError("injected"),
                new StackOverflowError(), new NoClassDefFoundError("injected"))) {
            try (var poller = open(); var log = LogCapture.start()) {
                var bad = pipe();
                var good = pipe();
                int[] goodCalls = {0};
                var badRegistration = bad.register(poller, SelectionKey.OP_READ, _ -> {
                    throw sneaky(thrown);
                });
                good.register(poller, SelectionKey.OP_READ, _ -> goodCalls[0]++);
                send(bad, 1);
                send(good, 1);
                for (int i = 0; i < 100 && goodCalls[0] == 0; i++) poller.poll(TimeUnit.MILLISECONDS.toNanos(100));
                poller.poll(0);
                assertTrue(goodCalls[0] >= 1, "the other channel still ran after " + thrown);
                assertFalse(badRegistration.isValid());
                assertFalse(bad.isSourceOpen(), "a channel whose handler threw is closed, not leaked");
                assertEquals(1, log.warnings().size());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T { throw (T) t; }

    @Test
    default void closeClosesChannelsOrClosesAutoCloseableHandlers() throws IOException {
        var poller = open();
        var plain = pipe();
        var owned = pipe();
        boolean[] closed = {false};
        class Owner implements Readiness, AutoCloseable {
            @Override public void onReady(int readyOps) { }
            @Override public void close() { closed[0] = true; }
        }
        plain.register(poller, SelectionKey.OP_READ, _ -> { });
        owned.register(poller, SelectionKey.OP_READ, new Owner());
        poller.close();
        assertFalse(plain.isSourceOpen());
        assertTrue(closed[0]);
        assertTrue(owned.isSourceOpen(), "its owner decides");
        poller.close();                              // idempotent
    }
}
