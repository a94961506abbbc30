package dev.weft.bench.report;

import dev.weft.bench.Command;

import java.io.IOException;
import java.util.List;
import java.time.Duration;
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

    /**
     * The versions of everything measured, so a figure can be reproduced with the same software.
     * Asked at the end of a run, since the harness may install wrk and nginx on the way.
     */
    public static String versions() {
        return "Weft " + firstLine("git", "-C", repository(), "log", "-1", "--format=commit %h of %cs")
                + "; Netty " + jarVersion("io.netty.util.Version")
                + "; Jetty " + jarVersion("org.eclipse.jetty.util.Jetty")
                + "; " + firstLine("nginx", "-v").replace("nginx version: ", "")
                + "; " + firstLine("wrk", "--version").replaceAll(" \\[.*", "");
    }

    /**
     * The Implementation-Version in the manifest of the jar holding {@code className}, read without
     * initialising the class: Netty's and Jetty's own version constants start their logging.
     */
    private static String jarVersion(String className) {
        try {
            var c = Class.forName(className, false, Machine.class.getClassLoader());
            String v = c.getPackage().getImplementationVersion();
            return v == null ? "n/a" : v;
        } catch (ClassNotFoundException e) {
            return "n/a";
        }
    }

    /** The checkout these classes were built in: weft-bench/target/classes, three levels up. */
    private static String repository() {
        try {
            Path classes = Path.of(Machine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return classes.getParent().getParent().getParent().toString();
        } catch (java.net.URISyntaxException | RuntimeException e) {
            return ".";
        }
    }

    /**
     * The first line a short command prints (stdout and stderr: {@code nginx -v} writes to stderr,
     * and {@code wrk --version} exits 1 after printing), or "n/a" when it cannot run.
     */
    private static String firstLine(String... command) {
        try {
            String out = Command.run(Duration.ofSeconds(5), List.of(command)).output().lines().findFirst().orElse("").trim();
            return out.isEmpty() || out.startsWith("fatal:") ? command[0] + " n/a" : out;   // git outside a checkout
        } catch (IOException e) {
            return command[0] + " n/a";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return command[0] + " n/a";
        }
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
