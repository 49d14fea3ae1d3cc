package io.github.tokenprepending.djl.sentencetransformers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The tiny sentence-transformers folders of the test resources ({@code st-models/<name>}, written by
 * sentence-transformers itself with random weights) and their goldens ({@code st-models/<name>.golden.json}, its
 * {@code encode} outputs). Large files are stored gzipped; {@link #unpack} writes the folder as a user receives it.
 */
public final class StModels {
    /** The models the reference generator writes. */
    public static final List<String> NAMES = List.of("qwen3-embedding", "mistral-embed", "qwen2-dense", "gemma2-embed");

    private StModels() {
    }

    /**
     * @param name a model of {@link #NAMES}
     * @param into an empty directory
     * @return the folder, {@code *.gz} files decompressed
     */
    public static Path unpack(String name, Path into) {
        URL url = url("st-models/" + name);
        if (url.getProtocol().equals("jar")) {
            try (FileSystem jar = FileSystems.newFileSystem(URI.create(url.toString().substring(0,
                    url.toString().indexOf("!/"))), Map.of())) {
                return unpack(jar.getPath("st-models", name), into.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return unpack(resource("st-models/" + name), into.resolve(name));
    }

    private static Path unpack(Path source, Path target) {
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String relative = source.relativize(file).toString().replace('\\', '/');
                boolean gz = relative.endsWith(".gz");
                Path out = target.resolve(gz ? relative.substring(0, relative.length() - 3) : relative);
                Files.createDirectories(out.getParent());
                try (InputStream in = gz ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file)) {
                    Files.copy(in, out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    /**
     * @param name a model of {@link #NAMES}
     * @return its golden file
     */
    public static Golden golden(String name) {
        try (InputStream in = url("st-models/" + name + ".golden.json").openStream()) {
            JsonNode root = new ObjectMapper().readTree(in);
            List<String> sentences = new ArrayList<>();
            root.path("sentences").forEach(s -> sentences.add(s.textValue()));
            List<Case> cases = new ArrayList<>();
            for (JsonNode c : root.path("cases")) {
                int[][] ids = new int[c.path("token_ids").size()][];
                for (int i = 0; i < ids.length; i++) {
                    JsonNode row = c.path("token_ids").get(i);
                    ids[i] = new int[row.size()];
                    for (int t = 0; t < ids[i].length; t++) {
                        ids[i][t] = row.get(t).intValue();
                    }
                }
                float[][] vectors = new float[c.path("embeddings").size()][];
                for (int i = 0; i < vectors.length; i++) {
                    JsonNode row = c.path("embeddings").get(i);
                    vectors[i] = new float[row.size()];
                    for (int d = 0; d < vectors[i].length; d++) {
                        vectors[i][d] = (float) row.get(d).doubleValue();
                    }
                }
                cases.add(new Case(c.path("name").textValue(), text(c.path("prompt_name")),
                        c.path("truncate_dim").isNull() ? 0 : c.path("truncate_dim").intValue(),
                        c.path("normalize_embeddings").asBoolean(), c.path("batch_size").asInt(4), ids, vectors));
            }
            return new Golden(name, sentences, cases);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.textValue() : null;
    }

    private static URL url(String name) {
        URL url = StModels.class.getClassLoader().getResource(name);
        if (url == null) {
            throw new IllegalStateException("test resource " + name + " is missing");
        }
        return url;
    }

    private static Path resource(String name) {
        URL url = url(name);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @param model the model's name
     * @param sentences the inputs
     * @param cases one per encode call of the reference
     */
    public record Golden(String model, List<String> sentences, List<Case> cases) {
        /**
         * @param name a case's name
         * @return the case
         */
        public Case find(String name) {
            return cases.stream().filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(model + " has no case " + name));
        }
    }

    /**
     * @param name the case's name
     * @param promptName the prompt name passed to encode, or null
     * @param truncateDim the truncate_dim, or 0
     * @param normalize normalize_embeddings
     * @param batchSize the batch size of the reference's call
     * @param tokenIds per sentence the ids the model saw
     * @param embeddings per sentence the vector
     */
    public record Case(String name, String promptName, int truncateDim, boolean normalize, int batchSize,
            int[][] tokenIds, float[][] embeddings) {
    }
}
