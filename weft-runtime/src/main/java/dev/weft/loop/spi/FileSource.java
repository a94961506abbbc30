package dev.weft.loop.spi;

import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A file a {@link StreamSocket} sends from. java.nio keeps a FileChannel's descriptor private, so
 * a native transport that wants sendfile(2) opens the file again from its {@link #origin()},
 * checks that it is the same file (device and inode), and keeps that descriptor here as its
 * {@link #transportHandle()} until the file is sent.
 */
public interface FileSource {
    FileChannel channel();

    /** Where the channel's file lies and which it is; null if unknown (then only the channel is used). */
    Origin origin();

    /** What a transport keeps for this file while it is sent; closed when the file is done. Null at first. */
    AutoCloseable transportHandle();

    void transportHandle(AutoCloseable handle);

    /**
     * @param path the file's path as opened
     * @param fileKey {@link java.nio.file.attribute.BasicFileAttributes#fileKey()} of the file the
     *                channel has open (device and inode on Linux)
     */
    record Origin(Path path, Object fileKey) {}
}
