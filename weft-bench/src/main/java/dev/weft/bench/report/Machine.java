package dev.weft.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** What a result was measured on, printed above every table so figures never travel alone. */
public final class Machine {
    private Machine() {}

    public static String describe() {
        return "date " + DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC)).substring(0, 19)
                + " UTC; " + Runtime.getRuntime().availableProcessors() + " cores; Linux " + read("/proc/sys/kernel/osrelease")
                + "; JDK " + Runtime.version() + " (" + System.getProperty("java.vm.vendor") + ")"
                + "; JAVA_OPTS=" + System.getenv().getOrDefault("JAVA_OPTS", "")
                + "; load average " + loadAverage();
    }

    /** The 1-minute load average: above the core count means other work shared the machine. */
    public static String loadAverage() {
        String s = read("/proc/loadavg");
        return s.isEmpty() ? "n/a" : s.split(" ")[0];
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path)).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
