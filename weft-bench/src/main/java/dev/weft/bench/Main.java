package dev.weft.bench;

import dev.weft.bench.load.IdleScenario;
import dev.weft.bench.load.LoadCommand;
import dev.weft.bench.load.SuiteCommand;
import dev.weft.bench.parse.ParseCommand;
import dev.weft.bench.peers.ServerCommand;

import java.util.Arrays;

/** Entry point of {@code ./weft bench}. */
public final class Main {
    private static final String USAGE = """
            usage: weft bench [<command>] [options]
              [all] [--quick] [--servers a,b]
                    every scenario against every server; summary.md and chart.svg in results/
              parse [--quick] [--forks N] [--warmup N] [--iterations N] [--time S]
                    JMH: Weft's Http1Parser against Netty's HttpRequestDecoder (requests/s, MB/s)
              server NAME [--port P] [--files DIR]
                    one server in the foreground on 127.0.0.1: weft, netty-epoll, netty-nio, jetty, jdk, nginx
              plaintext [--quick] [--pipelined] [--servers a,b] [--connections 64,256] [--seconds S] [--rounds R]
                    wrk GET /plaintext against each server in turn (a child JVM each, same JAVA_OPTS)
              echo [same options]      wrk POST /echo with a 4 KiB body (not nginx: it cannot echo)
              files [same options]     wrk GET /file/4k.bin and /file/1m.bin
              idle [--connections N] [--servers a,b] [--compact-headers both|on|off]
                    heap and RSS per idle keep-alive connection
              client [--connections N] [--seconds S] [--rounds R]
                    weft load beside wrk, and Weft's HttpClient beside the JDK's, against nginx
              fanout [--quick] [--servers weft,nchan]
                    weft load --fanout (long-poll 1k/5k/15k, SSE 10k at 5 and 20/s) against weft pubsub and Nchan
              websocket [--quick] [--seconds S] [--idle N] [--servers weft,netty-epoll]
                    WebSocket echo (weft load --ws-echo: 256 connections, 64-byte messages) and live heap per idle WebSocket
            """;

    private Main() {}

    public static void main(String[] argv) throws Exception {
        var args = new Args(Arrays.asList(argv));
        String command = args.command().orElse("all");
        try {
            switch (command) {
                case "all" -> SuiteCommand.run(args);
                case "parse" -> ParseCommand.run(args);
                case "server" -> ServerCommand.run(args);
                case "plaintext" -> LoadCommand.run(LoadCommand.Kind.PLAINTEXT, args);
                case "echo" -> LoadCommand.run(LoadCommand.Kind.ECHO, args);
                case "files" -> LoadCommand.run(LoadCommand.Kind.FILES, args);
                case "idle" -> IdleScenario.run(args);
                case "client" -> dev.weft.bench.load.ClientCommand.run(args);
                case "fanout" -> dev.weft.bench.load.FanOutCommand.run(args);
                case "websocket" -> dev.weft.bench.load.WebSocketCommand.run(args);
                case "help", "--help", "-h" -> System.out.print(USAGE);
                default -> throw new IllegalArgumentException("unknown command " + command);
            }
        } catch (java.net.BindException e) {
            System.err.println("weft bench: " + e.getMessage());
            System.exit(1);
        } catch (IllegalArgumentException e) {
            System.err.println("weft bench: " + e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
        }
    }
}
