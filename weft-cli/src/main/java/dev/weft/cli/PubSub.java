package dev.weft.cli;

import dev.weft.loop.EventLoopGroup;
import dev.weft.loop.LoopConfig;
import dev.weft.pubsub.OverflowPolicy;
import dev.weft.pubsub.Start;
import dev.weft.pubsub.TopicLimits;
import dev.weft.pubsub.Topics;
import dev.weft.server.Server;
import dev.weft.server.ServerTimeouts;
import dev.weft.server.pubsub.PubSubOptions;
import dev.weft.server.pubsub.PubSubRoutes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/**
 * {@code weft pubsub}: topics behind Nchan's publisher and subscriber protocol, as a standalone
 * server for applications in any language (docs/NCHAN.md).
 */
final class PubSub {
    static final String HELP = """
            usage: weft pubsub [options]

            Serves channels with Nchan's HTTP protocol, so Nchan's JavaScript client (NchanSubscriber)
            and applications written for Nchan work unchanged:
              POST or PUT <pub>CHANNEL    publish the body as a message (201 if it reached a subscriber,
                                          202 if none); the Content-Type is kept and served back,
                                          X-EventSource-Event sets the event type SSE subscribers see
              GET <pub>CHANNEL            channel info (Accept: text/json, text/xml, text/yaml for those
                                          formats); 404 if the channel does not exist
              DELETE <pub>CHANNEL         delete it, ending its subscribers (long-poll 410, EventSource
                                          ":410: 410 Gone", WebSocket close 1001)
              GET <sub>CHANNEL            subscribe: a WebSocket handshake (subprotocol ws+meta.nchan for
                                          Nchan's meta frames), else EventSource with
                                          Accept: text/event-stream, else a long-poll
            Ids are Nchan's "seconds:tag". A subscriber resumes after an id with If-Modified-Since and
            If-None-Match (long-poll), Last-Event-ID or ?last_event_id= (any transport). Ctrl-C stops
            gracefully: each subscriber is ended at its own moment in the drain window, so their
            reconnects reach the next server spread out.

            options:
              --host H                  address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
              --port P                  port (default 8090; 0 picks a free one)
              --loops N                 event loops (default: one per core)
              --pub PREFIX              publisher location (default /pub/)
              --sub PREFIX              subscriber location (default /sub/)
              --buffer-length N         messages kept per channel for subscribers to catch up (default 10)
              --message-timeout D       how long a message is kept (default 1h)
              --max-message-bytes N     largest message; 413 past it (default 1m)
              --max-channels N          channels alive at once; 503 past it (default 100000)
              --max-subscribers N       subscribers per channel; 403 past it (default 100000)
              --first-message oldest|newest
                                        where a subscriber without a cursor starts (default oldest)
              --longpoll-timeout D      a long-poll with no message is answered 408 after D (default 2m)
              --subscriber-timeout D    EventSource and WebSocket subscribers are ended after D without
                                        a message (default 0: never)
              --heartbeat D             EventSource comment after D of silence (default 15s; 0: none)
              --queue N                 messages a subscriber may have unwritten (default 256)
              --overflow POLICY         a subscriber with a full queue: disconnect (default; its client
                                        reconnects and resumes), drop-oldest or keep-latest
              --allow-origin ORIGIN     accept cross-origin requests from ORIGIN only (repeatable;
                                        default: any origin, echoed with credentials, as Nchan does)
              --drain D                 drain window on stop (default 10s)
              --help                    this text
            D is a duration: 500ms, 30s, 2m, 1h, or 0. N takes k and m for 1024 and 1048576.
            """;

    /** The parsed command line. */
    record Settings(Options net, String pub, String sub, TopicLimits limits, PubSubOptions options, Duration drain) {}

    private PubSub() {}

    static Settings parse(String[] args) {
        var net = new ArrayList<String>();
        String pub = "/pub/", sub = "/sub/";
        TopicLimits limits = TopicLimits.DEFAULTS;
        PubSubOptions options = PubSubOptions.DEFAULTS;
        Duration drain = Duration.ofSeconds(10);
        int queue = options.queueMessages();
        OverflowPolicy overflow = options.overflow();
        List<String> origins = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!option.startsWith("--")) throw new Options.UsageError("unexpected argument " + option + " (see weft pubsub --help)");
            if (i + 1 == args.length) throw new Options.UsageError(option + " needs a value");
            String v = args[++i];
            switch (option) {
                case "--host", "--port", "--loops" -> {
                    net.add(option);
                    net.add(v);
                }
                case "--pub" -> pub = prefix(option, v);
                case "--sub" -> sub = prefix(option, v);
                case "--buffer-length" -> limits = limits.withBufferLength((int) size(option, v, 0, 1_000_000));
                case "--message-timeout" -> limits = limits.withMessageTimeout(positive(option, duration(option, v)));
                case "--max-message-bytes" -> limits = limits.withMaxMessageBytes((int) size(option, v, 0, 64L << 20));
                case "--max-channels" -> limits = limits.withMaxTopics((int) size(option, v, 1, 10_000_000));
                case "--max-subscribers" -> limits = limits.withMaxSubscribers((int) size(option, v, 1, 10_000_000));
                case "--first-message" -> options = options.withFirstMessage(switch (v) {
                    case "oldest" -> Start.Oldest.OLDEST;
                    case "newest" -> Start.Newest.NEWEST;
                    default -> throw new Options.UsageError("--first-message is oldest or newest, not " + v);
                });
                case "--longpoll-timeout" -> options = options.withLongPollTimeout(positive(option, duration(option, v)));
                case "--subscriber-timeout" -> options = options.withSubscriberTimeout(duration(option, v));
                case "--heartbeat" -> options = options.withHeartbeat(duration(option, v));
                case "--queue" -> queue = (int) size(option, v, 1, 1_000_000);
                case "--overflow" -> overflow = switch (v) {
                    case "disconnect" -> OverflowPolicy.DISCONNECT;
                    case "drop-oldest" -> OverflowPolicy.DROP_OLDEST;
                    case "keep-latest" -> OverflowPolicy.KEEP_LATEST;
                    default -> throw new Options.UsageError("--overflow is disconnect, drop-oldest or keep-latest, not " + v);
                };
                case "--allow-origin" -> origins.add(v);
                case "--drain" -> drain = duration(option, v);
                default -> throw new Options.UsageError("unknown option " + option + " (see weft pubsub --help)");
            }
        }
        if (pub.equals(sub)) throw new Options.UsageError("--pub and --sub must differ");
        options = options.withQueue(queue, options.queueBytes(), overflow);
        if (!origins.isEmpty()) options = options.withAllowOrigin(List.copyOf(origins)::contains);
        return new Settings(Options.parse(net.toArray(String[]::new), 8090), pub, sub, limits, options, drain);
    }

    static int run(String[] args) throws Exception {
        if (List.of(args).contains("--help")) {
            System.out.print(HELP);
            return 0;
        }
        Settings s = parse(args);
        var loops = EventLoopGroup.start(LoopConfig.defaults().withLoops(s.net().loops()));
        var topics = Topics.on(loops, s.limits());
        Server server;
        try {
            server = build(s, loops, topics).start();
        } catch (Exception e) {
            loops.shutdown(Duration.ofSeconds(1));
            throw e;
        }
        var address = server.address();
        String base = "http://" + address.getHostString() + ":" + address.getPort();
        System.out.printf("weft pubsub: publish at %s%sCHANNEL, subscribe at %s%sCHANNEL  Ctrl-C stops%n", base, s.pub(), base, s.sub());
        System.out.flush();
        var stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            server.stop(s.drain().plusSeconds(3));
            topics.close();
            loops.shutdown(Duration.ofSeconds(2));
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    static Server.Builder build(Settings s, EventLoopGroup loops, Topics topics) {
        var routes = PubSubRoutes.of(topics, s.options());
        var timeouts = ServerTimeouts.DEFAULTS.withDrainWindow(s.drain()).withGracefulStop(s.drain().plusSeconds(3));
        return Server.builder().group(loops).host(s.net().host()).port(s.net().port()).timeouts(timeouts)
                .any(s.pub() + "{channel}", routes.publisher(r -> r.pathParam("channel")))
                .any(s.sub() + "{channel}", routes.subscriber(r -> r.pathParam("channel")));
    }

    private static String prefix(String option, String v) {
        if (!v.startsWith("/") || !v.endsWith("/") || v.contains("{")) throw new Options.UsageError(option + " is a path that starts and ends with '/': " + v);
        return v;
    }

    /** 500ms, 30s, 2m, 1h, or 0. */
    static Duration duration(String option, String v) {
        String t = v.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.equals("0")) return Duration.ZERO;
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            if (n < 0) throw new NumberFormatException();
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> throw new NumberFormatException();
            };
        } catch (RuntimeException e) {
            throw new Options.UsageError(option + " takes a duration such as 500ms, 30s, 2m or 1h, not " + v);
        }
    }

    private static Duration positive(String option, Duration d) {
        if (d.isZero()) throw new Options.UsageError(option + " must be more than 0");
        return d;
    }

    /** A count or a size: digits, optionally followed by k or m. */
    static long size(String option, String v, long min, long max) {
        String t = v.strip().toLowerCase(Locale.ROOT);
        long unit = t.endsWith("k") ? 1024 : t.endsWith("m") ? 1024 * 1024 : 1;
        try {
            long n = Long.parseLong(unit == 1 ? t : t.substring(0, t.length() - 1)) * unit;
            if (n < min || n > max) throw new Options.UsageError(option + " must be between " + min + " and " + max + ": " + v);
            return n;
        } catch (NumberFormatException e) {
            throw new Options.UsageError(option + " takes a number (k and m allowed), not " + v);
        }
    }
}
