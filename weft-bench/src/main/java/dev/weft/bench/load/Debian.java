package dev.weft.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tools the harness drives (wrk, nginx) come from Debian's packages: installed with apt-get when
 * missing and the harness runs as root, otherwise the error names the command that would.
 */
public final class Debian {
    private Debian() {}

    /** Returns the tool's path, installing {@code pkg} first if {@code tool} is on no known path. */
    public static Path ensure(String tool, String pkg) throws IOException, InterruptedException {
        var found = find(tool);
        if (found != null) return found;
        boolean root = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        if (!root || find("apt-get") == null) {
            throw new IOException(tool + " is not installed; install it with: sudo apt-get install -y " + pkg);
        }
        System.err.println("weft bench: installing " + pkg + " (apt-get install -y " + pkg + ")");
        if (aptGet("install", "-y", "-q", pkg) != 0
                && (aptGet("update", "-q") != 0 || aptGet("install", "-y", "-q", pkg) != 0)) {
            throw new IOException("apt-get could not install " + pkg + "; try: apt-get update && apt-get install -y " + pkg);
        }
        found = find(tool);
        if (found == null) throw new IOException("installed " + pkg + " but found no " + tool);
        return found;
    }

    private static int aptGet(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("apt-get"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
    }

    /** The tool on PATH or in the sbin folders a non-login root shell may lack. */
    static Path find(String tool) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin") + ":/usr/sbin:/sbin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) return Path.of(dir, tool);
        }
        return null;
    }
}
