package dev.weft.bench.peers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * The folder behind {@code GET /file/NAME}: the harness fills it with the files issue 4 names,
 * of fixed sizes and fixed pseudo-random content, so every peer serves the same bytes.
 */
public final class StaticFiles {
    /** File name to size. */
    public static final Map<String, Integer> FILES = Map.of("4k.bin", 4 << 10, "1m.bin", 1 << 20);

    /** What a peer accepts as NAME: one path segment, no dot files, nothing to climb out with. */
    private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    private StaticFiles() {}

    /** The default folder, under the system's temporary directory. */
    public static Path defaultFolder() {
        return Path.of(System.getProperty("java.io.tmpdir"), "weft-bench-files");
    }

    /** Creates the folder and any missing file; returns its absolute path. */
    public static Path prepare(Path folder) throws IOException {
        Files.createDirectories(folder);
        for (var e : FILES.entrySet()) {
            Path file = folder.resolve(e.getKey());
            if (Files.isRegularFile(file) && Files.size(file) == e.getValue()) continue;
            byte[] bytes = new byte[e.getValue()];
            new Random(e.getValue()).nextBytes(bytes);
            Files.write(file, bytes);
        }
        return folder.toAbsolutePath();
    }

    /** The file for {@code name} inside {@code folder}, if the name is one safe segment. */
    public static java.util.Optional<Path> resolve(Path folder, String name) {
        if (!SAFE_NAME.matcher(name).matches()) return java.util.Optional.empty();
        Path file = folder.resolve(name);
        return Files.isRegularFile(file) ? java.util.Optional.of(file) : java.util.Optional.empty();
    }
}
