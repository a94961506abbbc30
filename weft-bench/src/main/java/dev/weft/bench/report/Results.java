package dev.weft.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The results folder: {@code results/YYYY-MM-DDTHH-MM/} under the working directory (the
 * repository root when run through {@code ./weft bench}), one Markdown file per scenario, plus
 * the servers' logs. It is git-ignored: BENCHMARKS.md quotes the runs worth keeping.
 */
public final class Results {
    private final Path folder;

    private Results(Path folder) {
        this.folder = folder;
    }

    public static Results create() throws IOException {
        String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm").format(LocalDateTime.now(ZoneOffset.UTC));
        return new Results(Files.createDirectories(Path.of("results", stamp)));
    }

    public Path folder() {
        return folder;
    }

    public Path logs() {
        return folder.resolve("logs");
    }

    /** Writes {@code text} to {@code name}.md and says where. */
    public Path write(String name, String text) throws IOException {
        Path file = folder.resolve(name + ".md");
        Files.writeString(file, text);
        return file;
    }
}
