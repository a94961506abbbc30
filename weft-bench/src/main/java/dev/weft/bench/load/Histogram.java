package dev.weft.bench.load;

import dev.weft.bench.Command;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A JVM's live objects by class, from {@code jcmd PID GC.class_histogram}. Without {@code -all}
 * that command runs a full GC first and counts only what survives it, so its total is the live
 * heap: the figure the idle scenario divides by the connection count.
 */
public record Histogram(long totalInstances, long totalBytes, List<Entry> classes) {
    /** One class's line. */
    public record Entry(long instances, long bytes, String className) {}

    private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(.+?)\\s*$", Pattern.MULTILINE);
    private static final Pattern TOTAL = Pattern.compile("^Total\\s+(\\d+)\\s+(\\d+)\\s*$", Pattern.MULTILINE);

    /** Runs the JDK's jcmd against {@code pid} (which makes that JVM run a full GC first). */
    public static Histogram of(long pid) throws IOException, InterruptedException {
        var jcmd = Command.run(Duration.ofSeconds(60), List.of(Jdk.tool("jcmd").toString(), Long.toString(pid), "GC.class_histogram"));
        if (jcmd.exitCode() != 0) throw new IOException("jcmd " + pid + " GC.class_histogram failed:\n" + jcmd.output());
        return parse(jcmd.output());
    }

    /** Reads jcmd's output; {@link #classes()} holds every class, largest first, as jcmd lists them. */
    public static Histogram parse(String output) {
        Matcher total = TOTAL.matcher(output);
        if (!total.find()) throw new IllegalArgumentException("no Total line in the class histogram");
        var classes = new ArrayList<Entry>();
        Matcher line = LINE.matcher(output);
        while (line.find()) {
            classes.add(new Entry(Long.parseLong(line.group(1)), Long.parseLong(line.group(2)), line.group(3)));
        }
        return new Histogram(Long.parseLong(total.group(1)), Long.parseLong(total.group(2)), List.copyOf(classes));
    }

    /**
     * The {@code keep} classes that grew most between {@code before} and this histogram; divided by
     * the connections opened in between, what one idle connection costs, class by class.
     */
    public List<Entry> growthSince(Histogram before, int keep) {
        var old = new HashMap<String, Entry>();
        for (var b : before.classes) old.put(b.className(), b);
        var grown = new ArrayList<Entry>();
        for (var e : classes) {
            var was = old.get(e.className());
            long instances = e.instances() - (was == null ? 0 : was.instances());
            long bytes = e.bytes() - (was == null ? 0 : was.bytes());
            if (bytes > 0) grown.add(new Entry(instances, bytes, e.className()));
        }
        grown.sort((a, b) -> Long.compare(b.bytes(), a.bytes()));
        return List.copyOf(grown.subList(0, Math.min(keep, grown.size())));
    }
}
