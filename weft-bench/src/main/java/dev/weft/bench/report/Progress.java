package dev.weft.bench.report;

import java.time.Duration;

/**
 * The progress line a long run prints to stderr: scenario, what runs now, and the time left by
 * the scenario's own estimate (wrk runs take what they are told; starting servers and full GCs
 * are guessed).
 */
public final class Progress {
    private final String scenario;
    private final long started = System.nanoTime();
    private Duration estimate;

    public Progress(String scenario, Duration estimate) {
        this.scenario = scenario;
        this.estimate = estimate;
    }

    /** Changes the total estimate (when a step took longer than guessed, say). */
    public void reestimate(Duration total) {
        this.estimate = total;
    }

    public void say(String what) {
        long left = Math.max(0, estimate.toSeconds() - Duration.ofNanos(System.nanoTime() - started).toSeconds());
        System.err.printf("[%s, ~%dm%02ds left] %s%n", scenario, left / 60, left % 60, what);
    }
}
