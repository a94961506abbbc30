package dev.weft.cli.browser;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a node script from {@code src/test/browser} that drives Debian's headless chromium through
 * playwright-core, and returns the JSON lines it printed.
 * <p>
 * The node packages ({@code package.json}, {@code package-lock.json} beside the scripts) are
 * installed by {@code npm ci} into {@code target/browser} on first use, so a fresh clone needs
 * nothing installed by hand but node, npm and chromium (the launcher's {@code test} installs
 * those). Without them a test is skipped, saying what is missing; under {@code CI=true} it fails
 * instead, so CI never passes by skipping. Screenshots go to {@code target/browser-shots}.
 * <pre>{@code
 * var run = Browser.require().run("demo.js", Duration.ofSeconds(40), Map.of("WEFT_BASE", base), "chat");
 * for (var line : run.lines()) ... JsonLine.parse(line) ...
 * }</pre>
 */
public final class Browser {
    /** The browser: Debian's chromium unless {@code WEFT_CHROMIUM} says otherwise (never a downloaded one). */
    public static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("WEFT_CHROMIUM", "/usr/bin/chromium"));
    private static final Path SCRIPTS = Path.of("src/test/browser").toAbsolutePath();
    private static final Path INSTALL = Path.of("target/browser").toAbsolutePath();
    /** Where the scripts save screenshots for a human to look at. */
    public static final Path SHOTS = Path.of("target/browser-shots").toAbsolutePath();
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(3);
    private static Browser ready;

    private final Path node;

    private Browser(Path node) { this.node = node; }

    /** What a script printed: its JSON lines (stdout), its stderr and its exit code. */
    public record Run(List<String> lines, String stderr, int exit) {
        /** The lines parsed, each a {@code Map<String, Object>}. */
        public List<Map<String, Object>> objects() {
            return lines.stream().map(JsonLine::parseObject).toList();
        }
    }

    /** The browser tooling, installed if need be; skips (or, under CI=true, fails) the test when it cannot be. */
    public static synchronized Browser require() {
        if (ready != null) return ready;
        Path node = onPath("node"), npm = onPath("npm");
        if (node == null || npm == null || !Files.isExecutable(CHROMIUM)) {
            unavailable("browser tests need node, npm and chromium (" + CHROMIUM + "); missing:"
                    + (node == null ? " node" : "") + (npm == null ? " npm" : "")
                    + (Files.isExecutable(CHROMIUM) ? "" : " chromium") + " (./weft test installs them as root: apt-get install nodejs npm chromium)");
        }
        try {
            install(npm);
        } catch (IOException | InterruptedException e) {
            unavailable("could not install the browser tests' node packages into " + INSTALL + ": " + e.getMessage());
        }
        return ready = new Browser(node);
    }

    private static void unavailable(String why) {
        if ("true".equalsIgnoreCase(System.getenv("CI"))) Assertions.fail(why + " [CI=true: failing, not skipping]");
        Assumptions.abort(why);
    }

    static Path onPath(String name) {
        for (var dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            var candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) return candidate;
        }
        return null;
    }

    // npm ci when the lock file differs from the one last installed (a copy is kept beside node_modules).
    private static void install(Path npm) throws IOException, InterruptedException {
        var lock = Files.readAllBytes(SCRIPTS.resolve("package-lock.json"));
        var installedLock = INSTALL.resolve("package-lock.json");
        if (Files.isDirectory(INSTALL.resolve("node_modules/playwright-core")) && Files.exists(installedLock)
                && Arrays.equals(lock, Files.readAllBytes(installedLock))) return;
        Files.createDirectories(INSTALL);
        Files.copy(SCRIPTS.resolve("package.json"), INSTALL.resolve("package.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.write(installedLock, lock);
        var log = INSTALL.resolve("npm-ci.log");
        var process = new ProcessBuilder(npm.toString(), "ci", "--prefer-offline", "--no-audit", "--no-fund")
                .directory(INSTALL.toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(NPM_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            stop(process);
            throw new IOException("npm ci took longer than " + NPM_TIMEOUT);
        }
        if (process.exitValue() != 0) {
            Files.deleteIfExists(installedLock);
            throw new IOException("npm ci exited " + process.exitValue() + ": " + Files.readString(log));
        }
    }

    /** The node packages' folder ({@code node_modules}), for a test that serves a file from it. */
    public static Path nodeModules() { return INSTALL.resolve("node_modules"); }

    /**
     * Runs {@code node src/test/browser/<script> args...}, killed with its browser after
     * {@code timeout}; fails the test when it times out or exits non-zero, showing what it printed.
     */
    public Run run(String script, Duration timeout, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Files.createDirectories(SHOTS);
        var command = new ArrayList<String>(List.of(node.toString(), SCRIPTS.resolve(script).toString()));
        command.addAll(List.of(args));
        var builder = new ProcessBuilder(command).directory(INSTALL.toFile());
        var environment = new HashMap<>(env);
        environment.put("NODE_PATH", nodeModules().toString());     // the scripts live apart from node_modules
        environment.put("WEFT_CHROMIUM", CHROMIUM.toString());
        environment.put("WEFT_SHOTS", SHOTS.toString());
        builder.environment().putAll(environment);
        var err = Files.createTempFile("weft-browser", ".err");
        builder.redirectError(err.toFile());
        var process = builder.start();
        try {
            var stdout = new StringBuilder();
            var out = Thread.ofVirtual().start(() -> {
                try (var in = process.getInputStream()) {
                    stdout.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) { // the process was killed
                }
            });
            boolean done = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!done) stop(process);
            out.join(5000);
            var lines = stdout.toString().lines().filter(l -> !l.isBlank()).toList();
            var run = new Run(lines, Files.readString(err), done ? process.exitValue() : -1);
            if (!done) Assertions.fail(script + " did not finish in " + timeout + "; printed:\n" + String.join("\n", lines) + "\n" + run.stderr());
            if (run.exit() != 0) Assertions.fail(script + " exited " + run.exit() + ":\n" + String.join("\n", lines) + "\n" + run.stderr());
            return run;
        } finally {
            stop(process);
            Files.deleteIfExists(err);
        }
    }

    // The browser's processes first: killing node alone can leave chromium behind.
    static void stop(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
