package io.github.tokenprepending.djl.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The weights of a HuggingFace model directory: {@code model.safetensors}, or (when that is absent)
 * {@code model.safetensors.index.json} plus the shards it names, all opened and validated up front.
 */
public final class Checkpoint implements AutoCloseable {

    /** Name of an unsharded checkpoint's weights file. */
    public static final String SINGLE_FILE = "model.safetensors";
    /** Name of a sharded checkpoint's index. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path directory;
    private final Path source;
    private final List<SafetensorsFile> files;
    private final NavigableMap<String, SafetensorsFile> byName;

    private Checkpoint(Path directory, Path source, List<SafetensorsFile> files,
            NavigableMap<String, SafetensorsFile> byName) {
        this.directory = directory;
        this.source = source;
        this.files = files;
        this.byName = byName;
    }

    /**
     * Opens a model directory.
     *
     * @param directory a directory with {@code model.safetensors} or {@code model.safetensors.index.json}
     * @return the open checkpoint
     * @throws CheckpointException if no weights are found, or a file is missing or invalid
     */
    public static Checkpoint open(Path directory) throws CheckpointException {
        if (!Files.isDirectory(directory)) {
            throw new CheckpointException(directory, "not a directory");
        }
        Path single = directory.resolve(SINGLE_FILE);
        if (Files.isRegularFile(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            NavigableMap<String, SafetensorsFile> byName = new TreeMap<>();
            file.names().forEach(n -> byName.put(n, file));
            return new Checkpoint(directory, single, List.of(file), byName);
        }
        Path index = directory.resolve(INDEX_FILE);
        if (Files.isRegularFile(index)) {
            return openSharded(directory, index);
        }
        throw new CheckpointException(directory, "no " + SINGLE_FILE + " or " + INDEX_FILE + otherWeights(directory)
                + "; .bin/.pth/.pt/.gguf weights are not supported: convert them to safetensors");
    }

    private static String otherWeights(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            List<String> found = entries.map(p -> p.getFileName().toString())
                    .filter(n -> {
                        String lower = n.toLowerCase(Locale.ROOT);
                        return lower.endsWith(".bin") || lower.endsWith(".pth") || lower.endsWith(".pt")
                                || lower.endsWith(".gguf");
                    })
                    .sorted()
                    .toList();
            return found.isEmpty() ? "" : " (found " + String.join(", ", found) + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static Checkpoint openSharded(Path directory, Path index) throws CheckpointException {
        Map<String, String> weightMap = readWeightMap(index);
        Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
        try {
            NavigableMap<String, SafetensorsFile> byName = new TreeMap<>();
            for (Map.Entry<String, String> e : weightMap.entrySet()) {
                String shardName = e.getValue();
                SafetensorsFile shard = shards.get(shardName);
                if (shard == null) {
                    shard = openShard(directory, index, shardName);
                    shards.put(shardName, shard);
                }
                if (!shard.contains(e.getKey())) {
                    throw new CheckpointException(index, "maps tensor '" + e.getKey() + "' to " + shard.path()
                            + ", which does not contain it");
                }
                byName.put(e.getKey(), shard);
            }
            return new Checkpoint(directory, index, List.copyOf(shards.values()), byName);
        } catch (CheckpointException e) {
            for (SafetensorsFile shard : shards.values()) {
                try {
                    shard.close();
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static Map<String, String> readWeightMap(Path index) throws CheckpointException {
        JsonNode root;
        try {
            root = MAPPER.readTree(index.toFile());
        } catch (IOException e) {
            throw new CheckpointException(index, "not valid JSON: " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject() || map.isEmpty()) {
            throw new CheckpointException(index, "has no 'weight_map' object naming the shards");
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (!e.getValue().isTextual()) {
                throw new CheckpointException(index, "weight_map value of '" + e.getKey()
                        + "' is not a file name: " + e.getValue());
            }
            weightMap.put(e.getKey(), e.getValue().textValue());
        }
        return weightMap;
    }

    private static SafetensorsFile openShard(Path directory, Path index, String shardName)
            throws CheckpointException {
        Path base = directory.toAbsolutePath().normalize();
        Path shard = base.resolve(shardName).normalize();
        if (!shard.startsWith(base) || shard.equals(base)) {
            throw new CheckpointException(index, "names shard '" + shardName + "' outside " + directory);
        }
        if (!Files.isRegularFile(shard)) {
            throw new CheckpointException(index, "names shard " + shardName + ", which is missing from "
                    + directory);
        }
        return SafetensorsFile.open(shard);
    }

    /** @return the model directory */
    public Path directory() {
        return directory;
    }

    /** @return {@code model.safetensors} or the shard index, whichever defines the tensors */
    public Path source() {
        return source;
    }

    /** @return every tensor name, sorted */
    public SortedSet<String> names() {
        return Collections.unmodifiableSortedSet(byName.navigableKeySet());
    }

    /**
     * @param name a tensor name
     * @return whether the checkpoint holds it
     */
    public boolean contains(String name) {
        return byName.containsKey(name);
    }

    /**
     * @param name a tensor name
     * @return the tensor, or empty when the checkpoint does not hold it (e.g. a tied {@code lm_head.weight})
     */
    public Optional<Tensor> find(String name) {
        SafetensorsFile file = byName.get(name);
        return file == null ? Optional.empty() : file.find(name);
    }

    /**
     * @param name a tensor name
     * @return the tensor, whatever its dtype and shape
     * @throws CheckpointException if the checkpoint does not hold it
     */
    public Tensor tensor(String name) throws CheckpointException {
        Optional<Tensor> tensor = find(name);
        if (tensor.isEmpty()) {
            throw new CheckpointException(source, "tensor " + name + " not found" + similarName(name));
        }
        return tensor.get();
    }

    /**
     * Looks up a weight and checks it is F32, F16 or BF16 with the given shape.
     *
     * @param name a tensor name
     * @param expectedShape its shape
     * @return the tensor
     * @throws CheckpointException if it is missing or has another shape or dtype
     */
    public Tensor require(String name, long... expectedShape) throws CheckpointException {
        Tensor t = tensor(name);
        if (!t.dtype().isFloat32Convertible()) {
            throw new CheckpointException(t.file(), "tensor " + name + " has dtype " + t.dtype()
                    + "; weights must be F32, F16 or BF16");
        }
        if (!Arrays.equals(t.shape(), expectedShape)) {
            throw new CheckpointException(t.file(), "tensor " + name + " has shape " + Arrays.toString(t.shape())
                    + ", expected " + Arrays.toString(expectedShape));
        }
        return t;
    }

    /** Suggests a present name that differs by a prefix, e.g. a missing {@code model.} */
    private String similarName(String name) {
        for (String other : byName.keySet()) {
            if (other.endsWith("." + name) || name.endsWith("." + other)) {
                return " (the checkpoint has " + other + ")";
            }
        }
        return "";
    }

    /** Releases every file handle. */
    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (SafetensorsFile file : files) {
            try {
                file.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
