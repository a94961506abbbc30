package dev.weft.bench.peers;

import dev.weft.bench.Args;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./weft bench server NAME --port P}: one peer alone in the foreground, so any load tool
 * can be pointed at it. It prints one line once it accepts connections (the harness waits for
 * that line) and runs until the process is told to stop (Ctrl-C or SIGTERM).
 */
public final class ServerCommand {
    /** The line the harness waits for; the port follows it. */
    public static final String READY = "listening on http://127.0.0.1:";

    private ServerCommand() {}

    public static void run(Args args) throws Exception {
        String name = args.word().orElseThrow(() -> new IllegalArgumentException("which server? one of " + Peer.NAMES));
        int port = args.intOption("--port", 8080);
        Path files = StaticFiles.prepare(args.option("--files").map(Path::of).orElse(StaticFiles.defaultFolder()));
        args.finish();
        var peer = Peer.start(name, port, files);
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            peer.close();
            stopped.countDown();
        }));
        System.out.println(peer.name() + " " + READY + peer.address().getPort() + "/ (pid "
                + ProcessHandle.current().pid() + "; GET /plaintext, POST /echo, GET /file/NAME from " + files + ")");
        System.out.flush();
        stopped.await();
    }
}
