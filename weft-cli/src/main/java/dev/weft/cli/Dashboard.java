package dev.weft.cli;

import dev.weft.protocol.http.Status;
import dev.weft.protocol.sse.SseEncoder;
import dev.weft.protocol.sse.SseEvent;
import dev.weft.server.Exchange;
import dev.weft.server.Response;
import dev.weft.server.sse.EventStream;

import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The dashboard's feed: once a second the numbers, as JSON, encoded once and written to every
 * open dashboard's event stream. A stream that cannot take a tick (its reader is slow) skips it:
 * only the latest numbers matter, so nothing queues.
 */
final class Dashboard implements AutoCloseable {
    static final int MAX_STREAMS = 256;

    private final Supplier<String> numbers;
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("dashboard").factory());

    Dashboard(Supplier<String> numbers) {
        this.numbers = numbers;
        ticker.scheduleAtFixedRate(this::tick, 1, 1, TimeUnit.SECONDS);
    }

    void subscribe(Exchange exchange) {
        if (streams.size() >= MAX_STREAMS) {
            exchange.reply(Response.text(Status.SERVICE_UNAVAILABLE, "too many dashboards open\n").withHeader("retry-after", "5"));
            return;
        }
        var stream = EventStream.open(exchange, EventStream.Options.DEFAULTS.withRetry(java.time.Duration.ofSeconds(2)));
        streams.add(stream);
        stream.onClose(() -> streams.remove(stream));
        stream.send(SseEvent.Message.of(numbers.get()));
    }

    private void tick() {
        if (streams.isEmpty()) return;
        ByteBuffer event = SseEncoder.toBuffer(SseEvent.Message.of(numbers.get()));
        for (EventStream s : streams) {
            if (s.isReady()) s.sendEncoded(event);
        }
    }

    @Override public void close() {
        ticker.shutdownNow();
        streams.forEach(EventStream::close);
    }
}
