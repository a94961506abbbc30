package dev.weft.server.files;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An HTML index of a folder, like nginx's autoindex: names sorted, folders first with a trailing
 * slash, hidden entries left out unless allowed. Every name is escaped for HTML and percent-
 * encoded in its link, so a file called {@code <script>} or {@code a"b} is shown as text. At most
 * {@value #MAX_ENTRIES} entries, so a huge folder costs a bounded page.
 */
final class DirectoryListing {
    static final int MAX_ENTRIES = 10_000;

    private DirectoryListing() {}

    /** The page for {@code dir}, shown at {@code urlPath} (ending in '/'). */
    static String render(Path dir, String urlPath, boolean showHidden) throws IOException {
        var folders = new ArrayList<String>();
        var files = new ArrayList<String>();
        boolean truncated = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.startsWith(".") && !showHidden) continue;
                if (folders.size() + files.size() == MAX_ENTRIES) {
                    truncated = true;
                    break;
                }
                (Files.isDirectory(entry) ? folders : files).add(name);
            }
        }
        folders.sort(null);
        files.sort(null);
        var html = new StringBuilder(256 + 64 * (folders.size() + files.size()));
        String title = "Index of " + escape(urlPath);
        html.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(title)
                .append("</title></head>\n<body><h1>").append(title).append("</h1>\n<ul>\n");
        if (!urlPath.equals("/")) html.append("<li><a href=\"../\">../</a></li>\n");
        link(html, folders, "/");
        link(html, files, "");
        html.append("</ul>\n");
        if (truncated) html.append("<p>Only the first ").append(MAX_ENTRIES).append(" entries are shown.</p>\n");
        return html.append("</body></html>\n").toString();
    }

    private static void link(StringBuilder html, List<String> names, String suffix) {
        for (String name : names) {
            html.append("<li><a href=\"").append(escape(encode(name))).append(suffix).append("\">")
                    .append(escape(name)).append(suffix).append("</a></li>\n");
        }
    }

    /** A path segment, percent-encoded (URLEncoder's '+' for space is a query convention, not a path's). */
    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String escape(String text) {
        var out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
