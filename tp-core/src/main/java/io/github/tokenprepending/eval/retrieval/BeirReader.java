package io.github.tokenprepending.eval.retrieval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/**
 * Reads the files of the BEIR layout, each plain or gzip-compressed (recognised by its first bytes, whatever its
 * name): {@code corpus.jsonl} (one JSON object per line with {@code _id}, {@code text} and optionally
 * {@code title}), {@code queries.jsonl} ({@code _id}, {@code text}) and {@code qrels/<split>.tsv} (a header line,
 * then {@code query-id<TAB>corpus-id<TAB>score} with a non-negative integer score). Files are UTF-8; blank lines are
 * skipped. Ids are JSON strings (integers are read as their decimal text). Every malformed row, duplicate id or
 * duplicate judgement fails with a {@link BeirFormatException} naming the file and line.
 */
public final class BeirReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Receives the documents of a corpus in file order. */
    @FunctionalInterface
    public interface DocumentVisitor {
        /**
         * @param document the document
         * @param line its 1-based line number
         * @throws IOException to stop reading
         */
        void visit(BeirDocument document, long line) throws IOException;
    }

    private BeirReader() {
    }

    /**
     * Streams a corpus without holding it: each document is handed over and forgotten.
     *
     * @param file {@code corpus.jsonl} or {@code corpus.jsonl.gz}
     * @param visitor receives each document
     * @throws NoSuchFileException naming the missing file
     * @throws BeirFormatException naming the malformed line (a duplicate {@code _id} included)
     * @throws IOException if reading fails or the visitor throws
     */
    public static void readCorpus(Path file, DocumentVisitor visitor) throws IOException {
        forEachRow(file, "document", (id, row, line) -> {
            String title = row.hasNonNull("title") ? string(file, line, row, "title") : "";
            visitor.visit(new BeirDocument(id, title, string(file, line, row, "text")), line);
        });
    }

    /**
     * @param file {@code queries.jsonl} or {@code queries.jsonl.gz}
     * @return query text by id, in file order
     * @throws NoSuchFileException naming the missing file
     * @throws BeirFormatException naming the malformed line (a duplicate {@code _id} included)
     * @throws IOException if reading fails
     */
    public static Map<String, String> readQueries(Path file) throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        forEachRow(file, "query", (id, row, line) -> queries.put(id, string(file, line, row, "text")));
        if (queries.isEmpty()) {
            throw new BeirFormatException(file, 0, "no queries");
        }
        return queries;
    }

    /** One JSON Lines row with its {@code _id}, already checked to be unique in the file. */
    @FunctionalInterface
    private interface RowVisitor {
        void visit(String id, JsonNode row, long line) throws IOException;
    }

    /** Reads a JSON Lines file of rows with unique {@code _id}s (corpus or queries), skipping blank lines. */
    private static void forEachRow(Path file, String kind, RowVisitor visitor) throws IOException {
        Map<String, Long> seen = new HashMap<>();
        try (BufferedReader in = open(file)) {
            long line = 0;
            for (String text = readLine(in, file, line); text != null; text = readLine(in, file, line)) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode row = object(file, line, text);
                String id = id(file, line, row);
                Long first = seen.putIfAbsent(id, line);
                if (first != null) {
                    throw new BeirFormatException(file, line, "duplicate " + kind + " _id '" + id
                            + "' (first on line " + first + ")");
                }
                visitor.visit(id, row, line);
            }
        }
    }

    /**
     * @param file {@code qrels/<split>.tsv} or its gzip
     * @param knownQuery whether a query id exists
     * @param knownDocument whether a document id exists
     * @return the judgements, queries in order of first appearance
     * @throws NoSuchFileException naming the missing file
     * @throws BeirFormatException naming the line that is malformed, repeats a (query, document) pair or names an
     *     unknown query or document
     * @throws IOException if reading fails
     */
    public static Qrels readQrels(Path file, Predicate<String> knownQuery, Predicate<String> knownDocument)
            throws IOException {
        Map<String, Map<String, Integer>> judgements = new LinkedHashMap<>();
        try (BufferedReader in = open(file)) {
            String header = readLine(in, file, 0);
            if (header == null || header.isBlank()) {
                throw new BeirFormatException(file, 1, "expected the header 'query-id\\tcorpus-id\\tscore'");
            }
            String[] names = header.split("\t", -1);
            if (names.length != 3 || isInteger(names[2].strip())) {
                throw new BeirFormatException(file, 1, "expected the header 'query-id\\tcorpus-id\\tscore', found '"
                        + header + "'");
            }
            long line = 1;
            for (String text = readLine(in, file, line); text != null; text = readLine(in, file, line)) {
                line++;
                if (text.isBlank()) {
                    continue;
                }
                String[] f = text.split("\t", -1);
                if (f.length != 3) {
                    throw new BeirFormatException(file, line, "expected 3 tab-separated fields (query-id, corpus-id,"
                            + " score), found " + f.length);
                }
                String query = f[0].strip();
                String doc = f[1].strip();
                String score = f[2].strip();
                if (!isInteger(score) || score.startsWith("-")) {
                    throw new BeirFormatException(file, line, "the score '" + f[2]
                            + "' is not a non-negative integer");
                }
                if (!knownQuery.test(query)) {
                    throw new BeirFormatException(file, line, "query-id '" + query + "' is not in queries.jsonl");
                }
                if (!knownDocument.test(doc)) {
                    throw new BeirFormatException(file, line, "corpus-id '" + doc + "' is not in corpus.jsonl");
                }
                Integer old = judgements.computeIfAbsent(query, q -> new LinkedHashMap<>())
                        .put(doc, Integer.parseInt(score));
                if (old != null) {
                    throw new BeirFormatException(file, line, "query-id '" + query + "' and corpus-id '" + doc
                            + "' are judged twice");
                }
            }
        }
        if (judgements.isEmpty()) {
            throw new BeirFormatException(file, 0, "no judgements");
        }
        return new Qrels(judgements);
    }

    /**
     * @param file a file, plain or gzip
     * @return its lines, UTF-8 decoded strictly
     * @throws NoSuchFileException naming the missing file
     * @throws IOException if it cannot be opened
     */
    static BufferedReader open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "BEIR data file not found");
        }
        try {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream in = gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
        } catch (IOException e) {
            raw.close();
            throw e;
        }
    }

    /** The next line; a decoding error names the line being read ({@code done} lines were read before). */
    private static String readLine(BufferedReader in, Path file, long done) throws IOException {
        try {
            return in.readLine();
        } catch (CharacterCodingException e) {
            throw new BeirFormatException(file, done + 1, "not valid UTF-8");
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new BeirFormatException(file, done + 1, "corrupt gzip data (" + e.getMessage() + ")");
        }
    }

    private static JsonNode object(Path file, long line, String text) throws BeirFormatException {
        JsonNode row;
        try {
            row = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new BeirFormatException(file, line, "not valid JSON: " + e.getOriginalMessage());
        }
        if (row == null || !row.isObject()) {
            throw new BeirFormatException(file, line, "expected a JSON object");
        }
        return row;
    }

    private static String id(Path file, long line, JsonNode row) throws BeirFormatException {
        JsonNode id = row.get("_id");
        if (id == null || id.isNull()) {
            throw new BeirFormatException(file, line, "no \"_id\"");
        }
        if (!id.isTextual() && !id.isIntegralNumber()) {
            throw new BeirFormatException(file, line, "\"_id\" must be a string, found " + id);
        }
        String text = id.asText();
        if (text.isBlank() || !text.equals(text.strip()) || text.indexOf('\t') >= 0) {
            throw new BeirFormatException(file, line, "\"_id\" '" + text + "' is blank or has surrounding"
                    + " whitespace or a tab");
        }
        return text;
    }

    private static String string(Path file, long line, JsonNode row, String field) throws BeirFormatException {
        JsonNode value = row.get(field);
        if (value == null || value.isNull()) {
            throw new BeirFormatException(file, line, "no \"" + field + "\"");
        }
        if (!value.isTextual()) {
            throw new BeirFormatException(file, line, "\"" + field + "\" must be a string, found " + value.getNodeType());
        }
        return value.asText();
    }

    private static boolean isInteger(String s) {
        return s.matches("[+-]?\\d{1,9}");
    }
}
