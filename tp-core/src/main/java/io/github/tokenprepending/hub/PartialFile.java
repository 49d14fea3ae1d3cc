package io.github.tokenprepending.hub;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code .incomplete} file of a download. Its I/O failures are local (a full disk, a read-only cache) and fail
 * at once as {@code CACHE_IO} instead of being retried like network failures.
 */
final class PartialFile implements AutoCloseable {

    private final Path path;
    private final FileChannel channel;

    private PartialFile(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /** Opens the file, creating it empty when absent. */
    static PartialFile open(Path path) {
        try {
            return new PartialFile(path, FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE));
        } catch (IOException e) {
            throw failure(path, e);
        }
    }

    long size() {
        try {
            return channel.size();
        } catch (IOException e) {
            throw failure(path, e);
        }
    }

    /** Cuts the file to {@code length} bytes, continues writing there, and hashes those bytes into the check. */
    void keep(long length, ContentCheck check) {
        try {
            channel.truncate(length).position(length);
            check.restart(channel, length);
        } catch (IOException e) {
            throw failure(path, e);
        }
    }

    void write(byte[] bytes, int length) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw failure(path, e);
        }
    }

    /** Flushes the content to the disk, before the file is renamed to its final name. */
    void force() {
        try {
            channel.force(true);
        } catch (IOException e) {
            throw failure(path, e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw failure(path, e);
        }
    }

    private static HubException failure(Path path, IOException e) {
        return new HubException(HubException.Kind.CACHE_IO, "cannot write " + path + ": " + e, e);
    }
}
