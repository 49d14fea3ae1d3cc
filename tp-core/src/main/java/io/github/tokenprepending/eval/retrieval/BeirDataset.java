package io.github.tokenprepending.eval.retrieval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A retrieval data set in the BEIR layout: {@code DIR/corpus.jsonl}, {@code DIR/queries.jsonl} and
 * {@code DIR/qrels/<split>.tsv} (each may be gzip-compressed, with a {@code .gz} name). Loading checks every file
 * and the references between them, so that bad data fails before any embedding; it keeps the queries of the split
 * and the judgements, but not the corpus, which is streamed again for embedding ({@link #forEachBlock}).
 *
 * <p>As in BEIR's loader, only queries with judgements in the split are evaluated.
 */
public final class BeirDataset {
    private final Path directory;
    private final String split;
    private final Path corpusFile;
    private final Map<String, String> queries;
    private final Qrels qrels;
    private final int documents;
    private final String corpusChecksum;

    /** Receives the corpus in blocks. */
    @FunctionalInterface
    public interface BlockVisitor {
        /**
         * @param block the next documents in file order (a fresh list, not kept by the data set)
         * @throws IOException to stop reading
         */
        void visit(List<BeirDocument> block) throws IOException;
    }

    private BeirDataset(Path directory, String split, Path corpusFile, Map<String, String> queries, Qrels qrels,
            int documents, String corpusChecksum) {
        this.directory = directory;
        this.split = split;
        this.corpusFile = corpusFile;
        this.queries = queries;
        this.qrels = qrels;
        this.documents = documents;
        this.corpusChecksum = corpusChecksum;
    }

    /**
     * Reads and checks the data: queries, the whole corpus (streamed: only its ids are held while checking) and the
     * split's judgements.
     *
     * @param directory the data set's directory
     * @param split the qrels split, e.g. {@code test}
     * @return the data set
     * @throws NoSuchFileException naming a missing directory or file
     * @throws BeirFormatException naming the file and line that is malformed or refers to an unknown id
     * @throws IOException if reading fails
     */
    public static BeirDataset load(Path directory, String split) throws IOException {
        Objects.requireNonNull(split, "split");
        if (!Files.isDirectory(directory)) {
            throw new NoSuchFileException(directory.toString(), null, "BEIR data directory not found (expected"
                    + " corpus.jsonl, queries.jsonl and qrels/<split>.tsv)");
        }
        if (split.isBlank() || split.contains("/") || split.contains("\\")) {
            throw new IllegalArgumentException("split must be a plain name such as test, was '" + split + "'");
        }
        Path corpusFile = find(directory, "corpus.jsonl");
        Path queriesFile = find(directory, "queries.jsonl");
        Path qrelsFile = find(directory.resolve("qrels"), split + ".tsv");
        Map<String, String> allQueries = BeirReader.readQueries(queriesFile);
        Set<String> ids = new HashSet<>();
        Checksum checksum = new Checksum();
        BeirReader.readCorpus(corpusFile, (doc, line) -> {
            ids.add(doc.id());
            checksum.add(doc);
        });
        if (ids.isEmpty()) {
            throw new BeirFormatException(corpusFile, 0, "no documents");
        }
        Qrels qrels = BeirReader.readQrels(qrelsFile, allQueries::containsKey, ids::contains);
        Map<String, String> queries = new LinkedHashMap<>();
        allQueries.forEach((id, text) -> {
            if (qrels.queryIds().contains(id)) {
                queries.put(id, text);
            }
        });
        return new BeirDataset(directory, split, corpusFile, Collections.unmodifiableMap(queries), qrels, ids.size(),
                checksum.hex());
    }

    /**
     * Streams the corpus again, in blocks.
     *
     * @param blockSize most documents per block
     * @param visitor receives each block
     * @throws IOException if reading fails, the visitor throws, or the corpus file no longer has the content it had
     *     when loaded
     */
    public void forEachBlock(int blockSize, BlockVisitor visitor) throws IOException {
        if (blockSize < 1) {
            throw new IllegalArgumentException("blockSize must be at least 1, was " + blockSize);
        }
        Checksum checksum = new Checksum();
        List<BeirDocument> block = new ArrayList<>(blockSize);
        BeirReader.readCorpus(corpusFile, (doc, line) -> {
            checksum.add(doc);
            block.add(doc);
            if (block.size() == blockSize) {
                visitor.visit(List.copyOf(block));
                block.clear();
            }
        });
        if (!block.isEmpty()) {
            visitor.visit(List.copyOf(block));
        }
        if (!checksum.hex().equals(corpusChecksum)) {
            throw new BeirFormatException(corpusFile, 0, "the file changed while it was being evaluated");
        }
    }

    /** @return the data set's directory */
    public Path directory() {
        return directory;
    }

    /** @return the split whose judgements are used */
    public String split() {
        return split;
    }

    /** @return the corpus file */
    public Path corpusFile() {
        return corpusFile;
    }

    /** @return the text of every judged query, by id, in the order of {@code queries.jsonl} */
    public Map<String, String> queries() {
        return queries;
    }

    /** @return the split's judgements */
    public Qrels qrels() {
        return qrels;
    }

    /** @return the number of documents in the corpus */
    public int documents() {
        return documents;
    }

    /**
     * @return SHA-256 (hex) of the corpus content: every document's id, title and text in file order, independent
     *     of compression and JSON formatting
     */
    public String corpusChecksum() {
        return corpusChecksum;
    }

    private static Path find(Path dir, String name) throws NoSuchFileException {
        Path plain = dir.resolve(name);
        Path gzip = dir.resolve(name + ".gz");
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        if (Files.isRegularFile(gzip)) {
            return gzip;
        }
        throw new NoSuchFileException(plain.toString(), null, "BEIR data file not found (nor " + gzip.getFileName()
                + ")");
    }

    /** SHA-256 over the documents' fields, each followed by a NUL byte. */
    private static final class Checksum {
        private final MessageDigest digest;

        Checksum() {
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java platform has SHA-256", e);
            }
        }

        void add(BeirDocument doc) {
            for (String field : new String[] {doc.id(), doc.title(), doc.text()}) {
                digest.update(field.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
        }

        String hex() {
            return HexFormat.of().formatHex(digest.digest());
        }
    }
}
