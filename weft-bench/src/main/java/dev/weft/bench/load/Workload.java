package dev.weft.bench.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What wrk sends in one scenario: a path, optionally a Lua script that shapes the requests, and
 * the connection counts to run it at.
 */
public record Workload(String name, String path, Optional<String> script, List<Integer> connections) {
    /** Whether {@code server} can answer this workload at all: stock nginx cannot echo. */
    public boolean supports(String server) {
        return !(server.equals("nginx") && path.equals("/echo"));
    }

    /** GET /file/NAME, a file from the peers' {@code StaticFiles} folder. */
    public static Workload file(String label, String name, List<Integer> connections) {
        return new Workload("file " + label, "/file/" + name, Optional.empty(), connections);
    }

    /** Keep-alive GET /plaintext, one request in flight per connection. */
    public static Workload plaintext(List<Integer> connections) {
        return new Workload("plaintext", "/plaintext", Optional.empty(), connections);
    }

    /** 16 GET /plaintext per write, as TechEmpower's pipeline.lua sends them. */
    public static Workload pipelined(List<Integer> connections) {
        return new Workload("plaintext, 16 pipelined", "/plaintext", Optional.of("""
                init = function(args)
                   local r = {}
                   for i = 1, 16 do r[i] = wrk.format(nil, "/plaintext") end
                   req = table.concat(r)
                end
                request = function() return req end
                """), connections);
    }

    /** POST /echo with a 4 KiB body. */
    public static Workload echo(List<Integer> connections) {
        return new Workload("echo 4 KiB", "/echo", Optional.of("""
                wrk.method = "POST"
                wrk.body = string.rep("x", 4096)
                wrk.headers["Content-Type"] = "application/octet-stream"
                """), connections);
    }

    /** wrk's extra arguments: {@code -s FILE} with the script written into {@code dir}. */
    List<String> wrkArguments(Path dir) throws IOException {
        if (script.isEmpty()) return List.of();
        Files.createDirectories(dir);
        Path file = dir.resolve(name.replaceAll("[^a-z0-9]+", "-") + ".lua");
        Files.writeString(file, script.get());
        return List.of("-s", file.toString());
    }
}
