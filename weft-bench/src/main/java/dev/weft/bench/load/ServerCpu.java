package dev.weft.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time a server's processes have used, from Linux's {@code /proc/PID/stat} (user plus system
 * time of every thread, in clock ticks of 10 ms): read before and after a wrk run, the difference
 * over the requests served is the server's CPU per request, GC and JIT threads included.
 */
final class ServerCpu {
    /** USER_HZ: 100 on every Linux architecture the harness runs on. */
    private static final double SECONDS_PER_TICK = 0.01;

    private ServerCpu() {}

    /** CPU seconds used so far by these processes; NaN where /proc cannot be read (not Linux). */
    static double seconds(List<Long> pids) {
        long ticks = 0;
        for (long pid : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                // Fields after the command name, which is in parentheses and may hold spaces.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);             // utime, stime
            } catch (IOException | RuntimeException e) {
                return Double.NaN;
            }
        }
        return ticks * SECONDS_PER_TICK;
    }
}
