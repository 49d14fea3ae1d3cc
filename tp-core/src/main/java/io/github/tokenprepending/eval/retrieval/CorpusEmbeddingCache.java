package io.github.tokenprepending.eval.retrieval;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Corpus embeddings on disk, so that a second evaluation with other query settings does not embed the corpus again.
 * An entry is keyed by {@link Key}: the model, the document-side settings and the corpus checksum; its file is
 * named after the key's SHA-256 and repeats the key in its header, so that a file is only ever read for its own key.
 * Entries are written atomically (a temporary file in the same directory, flushed, then renamed): a crashed run
 * leaves no entry. A file that is truncated or does not match its key is ignored (a warning) and written anew.
 *
 * <p>File layout: the ASCII magic {@code TPCORPUS}, then little-endian int32 version (1), document count,
 * dimension and key length, the key in UTF-8, then count x dimension float32 little-endian, documents in corpus
 * order.
 */
public final class CorpusEmbeddingCache {
    private static final Logger LOG = LoggerFactory.getLogger(CorpusEmbeddingCache.class);
    private static final byte[] MAGIC = "TPCORPUS".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private final Path directory;

    /**
     * What a cache entry depends on.
     *
     * @param model the model's identity (an id with its revision, or a checkpoint directory)
     * @param settings every setting that changes document embeddings (prompt, layers, TP range, dtype, ...), in a
     *     canonical text form
     * @param corpusChecksum {@link BeirDataset#corpusChecksum()}
     */
    public record Key(String model, String settings, String corpusChecksum) {
        /** @throws NullPointerException if a part is null */
        public Key {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(corpusChecksum, "corpusChecksum");
        }

        /** @return the key as stored in a file's header */
        public String text() {
            return "model: " + model + "\nsettings: " + settings + "\ncorpus: " + corpusChecksum + "\n";
        }

        /** @return the file name of the entry: the key's SHA-256 in hex, {@code .f32} */
        public String fileName() {
            try {
                byte[] hash = MessageDigest.getInstance("SHA-256").digest(text().getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(hash) + ".f32";
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }
    }

    /** @param directory where entries live (created on the first write) */
    public CorpusEmbeddingCache(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** @return the cache directory */
    public Path directory() {
        return directory;
    }

    /**
     * @param key a key
     * @return the entry's file (which may not exist)
     */
    public Path file(Key key) {
        return directory.resolve(key.fileName());
    }

    /**
     * @param key the key
     * @param documents the number of documents the entry must hold
     * @return a reader over the entry, or empty if there is none or it is unusable (then logged)
     * @throws IOException if an existing entry cannot be read
     */
    public Optional<Reader> open(Key key, int documents) throws IOException {
        Path file = file(key);
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            String problem = null;
            ByteBuffer fixed = ByteBuffer.allocate(MAGIC.length + 16).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, fixed);
            byte[] expected = key.text().getBytes(StandardCharsets.UTF_8);
            int dimension = 0;
            if (fixed.hasRemaining() || !Arrays.equals(Arrays.copyOf(fixed.array(), MAGIC.length), MAGIC)) {
                problem = "not a corpus embedding file";
            } else {
                fixed.position(MAGIC.length);
                int version = fixed.getInt();
                int count = fixed.getInt();
                dimension = fixed.getInt();
                int keyLength = fixed.getInt();
                ByteBuffer stored = ByteBuffer.allocate(Math.max(0, Math.min(keyLength, 1 << 20)));
                readFully(channel, stored);
                long size = MAGIC.length + 16L + keyLength + 4L * count * dimension;
                if (version != VERSION) {
                    problem = "version " + version + ", expected " + VERSION;
                } else if (keyLength != expected.length || !Arrays.equals(stored.array(), expected)) {
                    problem = "its header holds another key";
                } else if (count != documents || dimension < 1) {
                    problem = count + " documents of dimension " + dimension + ", expected " + documents;
                } else if (channel.size() != size) {
                    problem = channel.size() + " bytes, expected " + size + " (truncated?)";
                }
            }
            if (problem != null) {
                LOG.warn("ignoring the corpus embedding cache file {}: {}", file, problem);
                channel.close();
                return Optional.empty();
            }
            return Optional.of(new Reader(channel, dimension));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * @param key the key
     * @param documents the number of documents that will be appended
     * @return a writer; {@link Writer#commit()} makes the entry appear, closing without it leaves nothing
     * @throws IOException if the directory or temporary file cannot be created
     */
    public Writer create(Key key, int documents) throws IOException {
        Files.createDirectories(directory);
        return new Writer(file(key), key.text().getBytes(StandardCharsets.UTF_8), documents);
    }

    /** Reads an entry's embeddings in corpus order. */
    public static final class Reader implements AutoCloseable {
        private final FileChannel channel;
        private final int dimension;

        private Reader(FileChannel channel, int dimension) {
            this.channel = channel;
            this.dimension = dimension;
        }

        /** @return the embedding dimension */
        public int dimension() {
            return dimension;
        }

        /**
         * @param n how many embeddings to read
         * @return the next n embeddings
         * @throws IOException if the file ends early
         */
        public List<float[]> next(int n) throws IOException {
            ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(n, dimension * 4)).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, bytes);
            if (bytes.hasRemaining()) {
                throw new IOException("corpus embedding cache file ends early");
            }
            bytes.flip();
            List<float[]> rows = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                float[] row = new float[dimension];
                bytes.asFloatBuffer().get(row);
                bytes.position(bytes.position() + dimension * 4);
                rows.add(row);
            }
            return rows;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** Writes an entry atomically. */
    public static final class Writer implements AutoCloseable {
        private final Path target;
        private final Path tmp;
        private final FileChannel channel;
        private final byte[] key;
        private final int documents;
        private int written;
        private int dimension = -1;
        private boolean committed;

        private Writer(Path target, byte[] key, int documents) throws IOException {
            this.target = target;
            this.key = key;
            this.documents = documents;
            FileChannel opened = null;
            Path name = null;
            for (int attempt = 0; opened == null; attempt++) {
                name = target.resolveSibling("." + target.getFileName() + "."
                        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
                try {
                    opened = FileChannel.open(name, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    if (attempt >= 10) {
                        throw e;
                    }
                }
            }
            this.tmp = name;
            this.channel = opened;
        }

        /**
         * @param rows the next embeddings, all of one dimension
         * @throws IOException if writing fails
         * @throws IllegalArgumentException if a dimension differs or more documents arrive than announced
         */
        public void append(List<float[]> rows) throws IOException {
            if (written + rows.size() > documents) {
                throw new IllegalArgumentException("more than the " + documents + " documents announced");
            }
            if (rows.isEmpty()) {
                return;
            }
            if (dimension < 0) {
                dimension = rows.get(0).length;
                ByteBuffer header = ByteBuffer.allocate(MAGIC.length + 16 + key.length).order(ByteOrder.LITTLE_ENDIAN);
                header.put(MAGIC).putInt(VERSION).putInt(documents).putInt(dimension).putInt(key.length).put(key);
                writeFully(header.flip());
            }
            ByteBuffer bytes = ByteBuffer.allocate(rows.size() * dimension * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] row : rows) {
                if (row.length != dimension) {
                    throw new IllegalArgumentException("dimension " + row.length + ", the first had " + dimension);
                }
                bytes.asFloatBuffer().put(row);
                bytes.position(bytes.position() + dimension * 4);
            }
            writeFully(bytes.flip());
            written += rows.size();
        }

        /**
         * Flushes the entry to disk and renames it into place.
         *
         * @throws IOException if that fails
         * @throws IllegalStateException if fewer documents were written than announced
         */
        public void commit() throws IOException {
            if (written != documents) {
                throw new IllegalStateException(written + " of " + documents + " documents written");
            }
            channel.force(true);
            channel.close();
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        }

        /** Removes the temporary file unless committed. */
        @Override
        public void close() throws IOException {
            channel.close();
            if (!committed) {
                Files.deleteIfExists(tmp);
            }
        }

        private void writeFully(ByteBuffer buffer) throws IOException {
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
            // keep reading
        }
    }
}
