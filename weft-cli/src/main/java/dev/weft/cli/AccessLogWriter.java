package dev.weft.cli;

import dev.weft.server.AccessLog;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The access log in Common Log Format, written by a thread of its own: the loops only offer each
 * entry to a bounded queue, since writing to standard output can block (a slow terminal, a full
 * pipe) and a loop must not. When the queue is full, entries are dropped and counted, and the
 * count is reported in the log itself.
 */
final class AccessLogWriter implements AccessLog, AutoCloseable {
    static final int CAPACITY = 1 << 16;
    private static final DateTimeFormatter CLF_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneId.systemDefault());

    private final ArrayBlockingQueue<Entry> queue = new ArrayBlockingQueue<>(CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final BufferedWriter out;
    private final Thread writer;
    private volatile boolean closing;

    AccessLogWriter(PrintStream stream) {
        this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 64 << 10);
        this.writer = Thread.ofPlatform().daemon().name("weft-access-log").start(this::drain);
    }

    @Override public void completed(Entry entry) {
        if (!queue.offer(entry)) dropped.incrementAndGet();
    }

    /** One line: host ident authuser [date] "request" status bytes. */
    static String format(Entry e) {
        String request = e.method().equals("-") ? "-" : e.method() + " " + e.target() + " " + e.version();
        return e.client().getAddress().getHostAddress() + " - - [" + CLF_TIME.format(Instant.ofEpochMilli(e.startMillis()))
                + "] \"" + request.replace("\"", "%22") + "\" " + e.status() + " " + (e.bytes() > 0 ? e.bytes() : "-");
    }

    private void drain() {
        var batch = new ArrayList<Entry>(256);
        try {
            while (!closing || !queue.isEmpty()) {
                Entry first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) continue;
                batch.add(first);
                queue.drainTo(batch, 255);
                for (Entry e : batch) out.write(format(e) + "\n");
                batch.clear();
                long lost = dropped.getAndSet(0);
                if (lost > 0) out.write("weft: the access log fell behind and dropped " + lost + " entries\n");
                if (queue.isEmpty()) out.flush();
            }
            out.flush();
        } catch (IOException | InterruptedException e) {
            // standard output is gone or we are stopping: nothing left to write to
        }
    }

    @Override public void close() {
        closing = true;
        try {
            writer.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
