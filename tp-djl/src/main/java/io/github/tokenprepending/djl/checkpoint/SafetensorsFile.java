package io.github.tokenprepending.djl.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One safetensors file, opened and validated: every tensor's dtype, shape and byte range are checked against
 * each other and against the file size before anything is returned, and the header length is checked against
 * the file size before the header is read. Tensor bytes are memory-mapped on demand, read-only.
 *
 * <p>Mapped buffers stay valid after {@link #close()} (closing releases the file handle, not the mappings), but
 * no new ones can be made. Truncating the file while it is mapped makes reads of the lost pages fail
 * ({@link InternalError} in the JVM): do not modify a checkpoint while it is in use.
 */
public final class SafetensorsFile implements AutoCloseable {

    /** Largest header this reader accepts, as the reference implementation does. */
    static final long MAX_HEADER_BYTES = 100_000_000;

    private final Path path;
    private final FileChannel channel;
    private final Map<String, String> metadata;
    private final Map<String, TensorInfo> tensors;
    private volatile boolean closed;

    private SafetensorsFile(Path path, FileChannel channel, SafetensorsHeader header) {
        this.path = path;
        this.channel = channel;
        this.metadata = Collections.unmodifiableMap(header.metadata);
        this.tensors = Collections.unmodifiableMap(header.tensors);
    }

    /**
     * Opens and validates a file.
     *
     * @param path a {@code .safetensors} file
     * @return the open file
     * @throws CheckpointException if the file cannot be read or is not a valid safetensors file
     */
    public static SafetensorsFile open(Path path) throws CheckpointException {
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException(path, "cannot open: " + e, e);
        }
        boolean opened = false;
        try {
            SafetensorsFile file = new SafetensorsFile(path, channel, readHeader(path, channel));
            opened = true;
            return file;
        } catch (CheckpointException e) {
            throw e;
        } catch (IOException e) {
            throw new CheckpointException(path, "cannot read: " + e, e);
        } finally {
            if (!opened) {
                closeQuietly(channel);
            }
        }
    }

    private static SafetensorsHeader readHeader(Path path, FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < Long.BYTES) {
            throw new CheckpointException(path, "truncated: " + size
                    + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer prefix = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, prefix, 0);
        long headerLength = prefix.getLong(0);
        if (headerLength < 0 || headerLength > size - Long.BYTES) {
            throw new CheckpointException(path, "header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the file size (" + size + " bytes): truncated or not a safetensors file");
        }
        if (headerLength > MAX_HEADER_BYTES) {
            throw new CheckpointException(path, "header length " + headerLength + " exceeds the "
                    + MAX_HEADER_BYTES + "-byte limit");
        }
        ByteBuffer json = ByteBuffer.allocate((int) headerLength);
        readFully(channel, json, Long.BYTES);
        long dataStart = Long.BYTES + headerLength;
        return SafetensorsHeader.parse(path, json.array(), dataStart, size - dataStart);
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long position) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into, position + into.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the failure being reported matters more
        }
    }

    /** @return the file's path */
    public Path path() {
        return path;
    }

    /** @return the header's {@code __metadata__} string map (empty when absent) */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** @return every tensor, in header order */
    public List<TensorInfo> tensors() {
        return List.copyOf(tensors.values());
    }

    /** @return every tensor name, in header order */
    public Set<String> names() {
        return tensors.keySet();
    }

    /**
     * @param name a tensor name
     * @return whether the file holds it
     */
    public boolean contains(String name) {
        return tensors.containsKey(name);
    }

    /**
     * @param name a tensor name
     * @return the tensor, or empty when the file does not hold it
     */
    public Optional<Tensor> find(String name) {
        TensorInfo info = tensors.get(name);
        return info == null ? Optional.empty() : Optional.of(new Tensor(this, info));
    }

    /**
     * @param name a tensor name
     * @return the tensor
     * @throws CheckpointException if the file does not hold it
     */
    public Tensor tensor(String name) throws CheckpointException {
        return find(name).orElseThrow(() -> new CheckpointException(path, "no tensor '" + name + "'"));
    }

    /** Maps {@code length} bytes at absolute {@code position}, read-only and little-endian. */
    ByteBuffer map(long position, int length) throws IOException {
        if (closed) {
            throw new IllegalStateException(path + " is closed");
        }
        return channel.map(FileChannel.MapMode.READ_ONLY, position, length).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Fills {@code dst} (to its limit) with the bytes at absolute {@code position}. */
    void read(long position, ByteBuffer dst) throws IOException {
        if (closed) {
            throw new IllegalStateException(path + " is closed");
        }
        try {
            readFully(channel, dst, position);
        } catch (IOException e) {
            throw new CheckpointException(path, "cannot read " + dst.remaining() + " bytes at offset " + position
                    + ": " + e.getMessage(), e);
        }
    }

    /** Releases the file handle. Buffers already returned stay readable. */
    @Override
    public void close() throws IOException {
        closed = true;
        channel.close();
    }
}
