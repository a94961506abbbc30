package dev.weft.bench.load;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WrkTest {
    /** Debian wrk 4.1.0's report, as printed against the netty-epoll peer. */
    private static final String CLEAN = """
            Running 2s test @ http://127.0.0.1:18081/plaintext
              2 threads and 64 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency    47.68ms  116.56ms 657.43ms   88.72%
                Req/Sec     6.81k     3.48k   11.37k    58.33%
              Latency Distribution
                 50%    4.12ms
                 75%    8.27ms
                 90%  197.12ms
                 99%  545.53ms
              24480 requests in 2.01s, 2.68MB read
            Requests/sec:  12151.71
            Transfer/sec:      1.33MB
            """;

    @Test
    void readsRateTotalAndPercentiles() {
        var r = Wrk.parse(CLEAN);
        assertEquals(12151.71, r.requestsPerSecond(), 1e-9);
        assertEquals(24480, r.requests());
        assertEquals(4120, r.p50Micros(), 1e-6);
        assertEquals(545_530, r.p99Micros(), 1e-6);
        assertEquals(0, r.socketErrors());
        assertEquals(0, r.non2xx());
    }

    @Test
    void addsUpSocketErrorsAndCountsNon2xx() {
        String withErrors = CLEAN.replace("Requests/sec:", """
                  Socket errors: connect 3, read 2, write 0, timeout 7
                  Non-2xx or 3xx responses: 11
                Requests/sec:""");
        var r = Wrk.parse(withErrors);
        assertEquals(12, r.socketErrors());
        assertEquals(11, r.non2xx());
    }

    @Test
    void convertsEveryTimeUnitToMicroseconds() {
        assertEquals(850, Wrk.toMicros(850, "us"), 1e-9);
        assertEquals(1_320, Wrk.toMicros(1.32, "ms"), 1e-9);
        assertEquals(2_000_000, Wrk.toMicros(2, "s"), 1e-9);
        assertEquals(60_000_000, Wrk.toMicros(1, "m"), 1e-9);
        String micros = CLEAN.replace("    99%  545.53ms", "    99%  812.00us");
        assertEquals(812, Wrk.parse(micros).p99Micros(), 1e-9);
    }

    @Test
    void aZeroLatencyMeansWrkRecordedNone() {
        String none = CLEAN.replace("    50%    4.12ms", "    50%    0.00us").replace("    99%  545.53ms", "    99%    0.00us");
        assertTrue(Double.isNaN(Wrk.parse(none).p99Micros()));
        assertTrue(Double.isNaN(Wrk.parse(none).p50Micros()));
    }

    @Test
    void outputWithoutARateIsAnError() {
        var e = assertThrows(IllegalArgumentException.class, () -> Wrk.parse("unable to connect to 127.0.0.1:1 Connection refused"));
        assertTrue(e.getMessage().contains("Requests/sec"));
    }
}
