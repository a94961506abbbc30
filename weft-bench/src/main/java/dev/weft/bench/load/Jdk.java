package dev.weft.bench.load;

import java.nio.file.Files;
import java.nio.file.Path;

/** The tools of the JDK this harness runs on (not the first {@code jcmd} on PATH, which may be older). */
final class Jdk {
    private Jdk() {}

    static Path tool(String name) {
        Path java = ProcessHandle.current().info().command().map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java"));
        Path tool = java.resolveSibling(name);
        if (!Files.isExecutable(tool)) throw new IllegalStateException("no " + name + " beside " + java);
        return tool;
    }
}
