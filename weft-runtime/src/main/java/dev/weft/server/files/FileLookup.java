package dev.weft.server.files;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Finds what a safe {@link RequestPath} names under the root, and opens it so that what is opened
 * is what was checked.
 *
 * <h2>Symbolic links and the race between check and open</h2>
 * A path is resolved to its real path (every link followed); one outside the real root is refused
 * unless links may leave it. The file is then opened by that real path with {@code O_NOFOLLOW},
 * so a final component replaced by a link after the check fails to open; and once open, the path
 * is resolved again and its attributes read without following links: the same real path, a
 * regular file, the same file key (device and inode) as checked, or the open file is closed and
 * the request refused. A directory swapped for a link between the check and the open is caught
 * by the second resolution. What remains is a swap that is undone within the microseconds
 * between the open and that re-check; closing it needs {@code openat2(RESOLVE_BENEATH)}, which
 * the JDK does not offer.
 */
final class FileLookup {
    /** What a path names. */
    sealed interface Found {
        record File(Path real, BasicFileAttributes attributes) implements Found {}
        record Directory(Path real) implements Found {}
        enum Missing implements Found { MISSING }
        /** Exists, but outside the root through a link, or not a regular file or folder. */
        enum Forbidden implements Found { FORBIDDEN }
    }

    private final Path root;
    private final boolean linksMayLeaveRoot;
    /** Runs between the check and the open: tests use it to swap a file for a link. */
    private volatile Consumer<Path> beforeOpen = _ -> { };

    FileLookup(Path root, boolean linksMayLeaveRoot) throws IOException {
        this.root = root.toRealPath();
        this.linksMayLeaveRoot = linksMayLeaveRoot;
        if (!Files.isDirectory(this.root)) throw new IllegalArgumentException("not a directory: " + root);
    }

    Path root() { return root; }

    void beforeOpen(Consumer<Path> hook) { beforeOpen = Objects.requireNonNull(hook); }

    Found find(RequestPath path) {
        return find(path.segments().isEmpty() ? root : root.resolve(path.relative()));
    }

    /** A sibling such as {@code name.gz} of a file already found, under the same rules. */
    Found sibling(Path real, String suffix) { return find(real.resolveSibling(real.getFileName() + suffix)); }

    private Found find(Path candidate) {
        try {
            Path real = candidate.toRealPath();
            if (!real.startsWith(root) && !linksMayLeaveRoot) return Found.Forbidden.FORBIDDEN;
            var attributes = Files.readAttributes(real, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (attributes.isDirectory()) return new Found.Directory(real);
            if (attributes.isRegularFile()) return new Found.File(real, attributes);
            return Found.Forbidden.FORBIDDEN;                 // a device, a socket, a fifo
        } catch (NoSuchFileException e) {
            return Found.Missing.MISSING;
        } catch (IOException | SecurityException e) {
            return Found.Forbidden.FORBIDDEN;                 // unreadable, a loop of links
        }
    }

    /**
     * Opens a file found by {@link #find}; null when it changed into something else meanwhile (the
     * caller answers 403) or is gone. On success the attributes are those of the file now open.
     */
    Opened open(Found.File file) {
        beforeOpen.accept(file.real());
        FileChannel channel;
        try {
            channel = FileChannel.open(file.real(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | SecurityException e) {
            return null;
        }
        try {
            var now = Files.readAttributes(file.real(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            boolean same = now.isRegularFile() && file.real().toRealPath().equals(file.real())
                    && Objects.equals(now.fileKey(), file.attributes().fileKey());
            if (same) return new Opened(channel, now);
        } catch (IOException | SecurityException e) {
            // fall through: refuse
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // refused anyway
        }
        return null;
    }

    /** An open file and its attributes as of the open. */
    record Opened(FileChannel channel, BasicFileAttributes attributes) {}
}
