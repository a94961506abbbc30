package dev.weft.bench.parse;

import dev.weft.bench.Args;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * {@code ./weft bench parse}: runs {@link ParseBenchmark} through JMH's Runner API and prints
 * the requests/s and MB/s table. The default (1 fork, 3 warm-up and 5 measured iterations of 1 s,
 * 16 benchmarks: 2 parsers x 2 inputs x 2 buffer kinds x 1 or 16 pipelined) takes about 2.5
 * minutes; {@code --quick} (1 + 2 iterations) about 1.
 */
public final class ParseCommand {
    private ParseCommand() {}

    public static void run(Args args) throws RunnerException {
        boolean quick = args.flag("--quick");
        int forks = args.intOption("--forks", 1);
        int warmups = args.intOption("--warmup", quick ? 1 : 3);
        int iterations = args.intOption("--iterations", quick ? 2 : 5);
        int seconds = args.intOption("--time", 1);
        args.finish();
        var options = new OptionsBuilder()
                .include(ParseBenchmark.class.getName())
                .forks(forks)
                .warmupIterations(warmups)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds))
                .build();
        Collection<RunResult> results = new Runner(options).run();
        System.out.println();
        System.out.printf("JMH: %d fork(s), %d x 1 s warm-up, %d x %d s measured; error is JMH's 99.9%% interval%n",
                forks, warmups, iterations, seconds);
        System.out.print(ParseReport.table(scores(results)).render());
    }

    static List<ParseReport.Score> scores(Collection<RunResult> results) {
        var scores = new ArrayList<ParseReport.Score>();
        for (var r : results) {
            var params = r.getParams();
            String method = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            var primary = r.getPrimaryResult();
            scores.add(new ParseReport.Score(method, Requests.valueOf(params.getParam("input")),
                    Integer.parseInt(params.getParam("pipelined")), params.getParam("buffer"),
                    primary.getScore(), primary.getScoreError()));
        }
        return scores;
    }
}
