package dev.weft.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The window arithmetic on its own: 10 s windows, 100 bytes/s, so 1,000 bytes per window. */
class DataRateUnitTest {
    private static final long S = 1_000_000_000L;

    @Test void silenceTrickleAndSteadyProgress() {
        var rate = new DataRate(Duration.ofSeconds(10), 100);
        rate.start(0);
        assertEquals(10 * S, rate.nextCheck());
        assertEquals(DataRate.Verdict.SILENT, rate.judge(10 * S), "nothing for a whole window");

        rate.start(0);
        rate.progressed(1, 9 * S);                             // a byte just before the deadline
        assertEquals(DataRate.Verdict.TOO_SLOW, rate.judge(10 * S), "one byte in a window of 1,000 required");

        rate.start(0);
        rate.progressed(600, 4 * S);
        rate.progressed(600, 8 * S);
        assertEquals(DataRate.Verdict.ON_TIME, rate.judge(10 * S));
        assertEquals(0, rate.bytesInWindow(), "a new window began");
        assertEquals(18 * S, rate.nextCheck(), "the next check: a window after the last byte");
        assertEquals(DataRate.Verdict.SILENT, rate.judge(18 * S));
    }

    @Test void aZeroRateOnlyJudgesSilence() {
        var rate = new DataRate(Duration.ofSeconds(10), 0);
        rate.start(0);
        rate.progressed(1, 5 * S);
        assertEquals(DataRate.Verdict.ON_TIME, rate.judge(10 * S));
        assertEquals(DataRate.Verdict.SILENT, rate.judge(15 * S));
    }
}
