package dev.weft.loop.epoll;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.weft.loop.spi.FileSource;
import java.lang.foreign.Arena;
import java.util.regex.Pattern;

/**
 * The descriptor sendfile(2) needs for a file java.nio opened: the file is opened again from its
 * path and kept only if it is the very file the channel has (same device and inode), so a file
 * renamed or replaced between the two opens is never sent in its stead. Where that cannot be
 * settled the file goes through a read-only mapping instead ({@link EpollStreamSocket}).
 */
final class NativeFiles {
    /** The JDK's file key on Linux prints as {@code (dev=fe00,ino=612)}: device in hex, inode in decimal. */
    private static final Pattern KEY = Pattern.compile("\\(dev=([0-9a-f]+),ino=([0-9]+)\\)");
    /** Tried, and no descriptor could be had: do not try again for this file. */
    static final AutoCloseable NONE = () -> { };

    private NativeFiles() {}

    /** An open descriptor, closed with its file. */
    record Descriptor(int fd) implements AutoCloseable {
        @Override public void close() { LibC.closeQuietly(fd); }
    }

    /** The file's descriptor, opening and checking it on first use; -1 when only the channel will do. */
    static int descriptor(FileSource file) {
        var handle = file.transportHandle();
        if (handle == null) {
            handle = open(file.origin());
            file.transportHandle(handle);
        }
        return handle instanceof Descriptor d ? d.fd() : -1;
    }

    private static AutoCloseable open(FileSource.Origin origin) {
        if (origin == null || origin.fileKey() == null) return NONE;
        var key = KEY.matcher(origin.fileKey().toString());
        if (!key.matches()) return NONE;
        long device = Long.parseUnsignedLong(key.group(1), 16);
        long inode = Long.parseUnsignedLong(key.group(2));
        try (var arena = Arena.ofConfined()) {
            var errno = arena.allocate(LibC.ERRNO_LAYOUT);
            var path = arena.allocateFrom(origin.path().toString());
            int fd = LibC.open(errno, path.address(), LibC.O_RDONLY_CLOEXEC);
            if (fd < 0) return NONE;
            var stat = arena.allocate(LibC.STAT_SIZE, 8);
            if (LibC.fstat(errno, fd, stat.address()) == 0
                    && stat.get(JAVA_LONG, 0) == device && stat.get(JAVA_LONG, 8) == inode) {
                return new Descriptor(fd);
            }
            LibC.closeQuietly(fd);
            return NONE;
        }
    }
}
