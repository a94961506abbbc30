package dev.weft.server;

import dev.weft.protocol.http.Method;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Maps a method and a path to a {@link Route}.
 *
 * <p>Patterns are split on {@code /} into segments, each one of:
 * <ul>
 *   <li>a literal, matched against the percent-decoded request segment;</li>
 *   <li>{@code {name}}: any one non-empty segment, captured decoded;</li>
 *   <li>{@code {name...}}: the rest of the path, possibly empty, captured decoded; last only.</li>
 * </ul>
 * Where several patterns match, literals win over parameters, and parameters over a rest, segment
 * by segment from the left; the first that has a route for the method is taken. When some pattern
 * matches the path but none has the method, the answer is 405 with every method those patterns
 * allow (RFC 9110 §15.5.6). HEAD falls back to the GET route (RFC 9110 §9.3.2). A trailing slash
 * is significant: {@code /a} and {@code /a/} are different paths.
 *
 * <p>Immutable once built, so every loop reads it without locks.
 */
final class Router {
    /** A node of the segment trie; routes end at a node, or at its rest parameter. */
    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        Node param;
        final Map<Method, Route> rest = new LinkedHashMap<>();
        final Map<Method, Route> here = new LinkedHashMap<>();
    }

    private final Node root = new Node();
    private final List<Route> routes = new ArrayList<>();

    /**
     * Adds a route.
     *
     * @throws IllegalArgumentException for a malformed pattern or a second route with the same method and pattern shape
     */
    Router add(Method method, String pattern, Handler handler) {
        if (!pattern.startsWith("/")) throw new IllegalArgumentException("pattern must start with '/': " + pattern);
        String[] segments = pattern.substring(1).split("/", -1);
        List<String> names = new ArrayList<>();
        Node node = root;
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            String name = paramName(s, pattern);
            if (name == null) {
                if (s.indexOf('{') >= 0 || s.indexOf('}') >= 0) throw new IllegalArgumentException("braces inside a literal segment: " + pattern);
                node = node.literals.computeIfAbsent(s, _ -> new Node());
                continue;
            }
            if (names.contains(name)) throw new IllegalArgumentException("parameter '" + name + "' twice in " + pattern);
            names.add(name);
            if (s.endsWith("...}")) {
                if (i != segments.length - 1) throw new IllegalArgumentException("{" + name + "...} must be last: " + pattern);
                put(node.rest, new Route(method, pattern, handler, names));
                return this;
            }
            if (node.param == null) node.param = new Node();
            node = node.param;
        }
        put(node.here, new Route(method, pattern, handler, names));
        return this;
    }

    private void put(Map<Method, Route> at, Route route) {
        Route old = at.putIfAbsent(route.method(), route);
        if (old != null) throw new IllegalArgumentException("two routes for " + route.method() + " " + old.pattern() + " and " + route.pattern());
        routes.add(route);
    }

    /** The name in {@code {name}} or {@code {name...}}, or null for a literal. */
    private static String paramName(String segment, String pattern) {
        if (!segment.startsWith("{")) return null;
        if (!segment.endsWith("}")) throw new IllegalArgumentException("unclosed parameter in " + pattern);
        String name = segment.substring(1, segment.length() - (segment.endsWith("...}") ? 4 : 1));
        if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
            throw new IllegalArgumentException("bad parameter name '" + name + "' in " + pattern);
        }
        return name;
    }

    List<Route> routes() { return List.copyOf(routes); }

    /** Finds the route for {@code method} and the still-encoded {@code path}. */
    RouteMatch match(Method method, String path) {
        if (!path.startsWith("/")) return RouteMatch.NotFound.INSTANCE;
        String[] segments = path.substring(1).split("/", -1);
        var search = new Search(method, segments);
        Route found = search.walk(root, 0);
        if (found != null) return new RouteMatch.Found(found, search.params(found));
        if (search.allowed == null) return RouteMatch.NotFound.INSTANCE;
        return new RouteMatch.MethodNotAllowed(List.copyOf(search.allowed));
    }

    /** One depth-first walk in precedence order; remembers what it captured and which methods it saw. */
    private static final class Search {
        final Method method;
        final String[] segments;
        final String[] captured;
        Set<Method> allowed;                        // made on the first miss: a hit needs none
        int depth;                                  // how many captures are live

        Search(Method method, String[] segments) {
            this.method = method;
            this.segments = segments;
            this.captured = new String[segments.length + 1];
        }

        Route walk(Node node, int i) {
            if (i == segments.length) {
                Route r = pick(node.here);
                if (r != null) return r;
            } else {
                String segment = decode(segments[i]);
                Node literal = node.literals.get(segment);
                Route r = literal == null ? null : walk(literal, i + 1);
                if (r != null) return r;
                if (node.param != null && !segment.isEmpty()) {
                    captured[depth++] = segment;
                    r = walk(node.param, i + 1);
                    if (r != null) return r;
                    depth--;
                }
            }
            if (node.rest.isEmpty() || i == segments.length) return null;   // a rest needs its slash
            Route r = pick(node.rest);
            if (r != null) captured[depth++] = decode(String.join("/", List.of(segments).subList(i, segments.length)));
            return r;
        }

        private Route pick(Map<Method, Route> routes) {
            if (routes.isEmpty()) return null;
            Route r = routes.get(method);
            if (r == null && method == Method.HEAD) r = routes.get(Method.GET);
            if (r != null) return r;
            if (allowed == null) allowed = new LinkedHashSet<>();
            for (Method m : routes.keySet()) {
                allowed.add(m);
                if (m == Method.GET) allowed.add(Method.HEAD);
            }
            return null;
        }

        Map<String, String> params(Route route) {
            List<String> names = route.params();
            if (names.isEmpty()) return Map.of();
            var params = new HashMap<String, String>(names.size() * 2);
            for (int k = 0; k < names.size(); k++) params.put(names.get(k), captured[k]);
            return Map.copyOf(params);
        }
    }

    /** Percent-decodes one path segment as UTF-8 (RFC 3986 §2.1); '+' stays '+'. Malformed escapes stay as sent. */
    static String decode(String segment) {
        if (segment.indexOf('%') < 0) return segment;
        byte[] raw = segment.getBytes(StandardCharsets.UTF_8);
        var out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != '%') {
                out.write(raw[i]);
                continue;
            }
            int hi = i + 2 < raw.length ? hex(raw[i + 1]) : -1;
            int lo = hi >= 0 ? hex(raw[i + 2]) : -1;
            if (lo < 0) return segment;
            out.write(hi << 4 | lo);
            i += 2;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The value of an ASCII hex digit, else -1 (no Character.digit: it accepts non-ASCII digits). */
    private static int hex(byte b) {
        if (b >= '0' && b <= '9') return b - '0';
        if (b >= 'a' && b <= 'f') return b - 'a' + 10;
        if (b >= 'A' && b <= 'F') return b - 'A' + 10;
        return -1;
    }
}
