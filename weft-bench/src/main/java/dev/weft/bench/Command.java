package dev.weft.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** An external command run to its end: its exit code and everything it printed, stdout and stderr together. */
public record Command(int exitCode, String output) {
    /**
     * Runs {@code command} and waits at most {@code timeout} for it to exit once its output ended.
     *
     * @throws IOException if it cannot start, or has not exited in time (it is then killed)
     */
    public static Command run(Duration timeout, List<String> command) throws IOException, InterruptedException {
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.getFirst() + " did not exit within " + timeout + ":\n" + output);
        }
        return new Command(process.exitValue(), output);
    }
}
