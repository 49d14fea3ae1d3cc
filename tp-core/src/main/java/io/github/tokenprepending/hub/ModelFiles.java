package io.github.tokenprepending.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** Which files of a repository a model needs, and whether a snapshot directory holds them all. */
final class ModelFiles {

    static final List<String> REQUIRED = List.of("config.json", "tokenizer.json", "tokenizer_config.json");
    static final List<String> OPTIONAL = List.of("special_tokens_map.json", "generation_config.json");
    static final String WEIGHTS = "model.safetensors";
    static final String INDEX = "model.safetensors.index.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> OTHER_WEIGHT_SUFFIXES = List.of(".bin", ".pth", ".pt", ".ckpt", ".h5",
            ".msgpack", ".gguf");

    private ModelFiles() { }

    /**
     * Picks the files to download from a repository listing: the required files, the optional ones it has, and
     * either {@code model.safetensors} or the shard index (whose shards are read with {@link #shards} once it is
     * downloaded).
     *
     * @throws HubException ({@code UNSUPPORTED_REPO}) when the repository lacks safetensors weights or a required file
     */
    static List<String> plan(RepoId repo, Collection<String> repoFiles) {
        String weights = repoFiles.contains(WEIGHTS) ? WEIGHTS : repoFiles.contains(INDEX) ? INDEX : null;
        if (weights == null) {
            throw noSafetensors(repo, repoFiles);
        }
        List<String> missing = REQUIRED.stream().filter(f -> !repoFiles.contains(f)).collect(Collectors.toList());
        if (!missing.isEmpty()) {
            throw new HubException(HubException.Kind.UNSUPPORTED_REPO, "model '" + repo + "' has no "
                    + String.join(", ", missing) + "; this library needs " + String.join(", ", REQUIRED)
                    + " and safetensors weights");
        }
        List<String> files = new ArrayList<>(REQUIRED);
        OPTIONAL.stream().filter(repoFiles::contains).forEach(files::add);
        files.add(weights);
        return files;
    }

    private static HubException noSafetensors(RepoId repo, Collection<String> repoFiles) {
        List<String> safetensors = repoFiles.stream().filter(f -> f.endsWith(".safetensors")).sorted()
                .collect(Collectors.toList());
        if (!safetensors.isEmpty()) {
            return new HubException(HubException.Kind.UNSUPPORTED_REPO, "model '" + repo + "' has neither " + WEIGHTS
                    + " nor " + INDEX + " (it has " + String.join(", ", safetensors) + ")");
        }
        List<String> other = repoFiles.stream().filter(ModelFiles::isOtherWeightFile).sorted()
                .collect(Collectors.toList());
        if (other.isEmpty()) {
            return new HubException(HubException.Kind.UNSUPPORTED_REPO, "model '" + repo + "' has no weights");
        }
        return new HubException(HubException.Kind.UNSUPPORTED_REPO, "no safetensors weights in " + repo + " (only "
                + String.join(", ", other) + "); convert them to safetensors (for example with transformers:"
                + " save_pretrained(dir, safe_serialization=True)) and pass the converted directory or repository");
    }

    private static boolean isOtherWeightFile(String file) {
        return OTHER_WEIGHT_SUFFIXES.stream().anyMatch(file::endsWith);
    }

    /**
     * Reads the shard files a {@code model.safetensors.index.json} names in its {@code weight_map}.
     *
     * @throws HubException ({@code UNSUPPORTED_REPO}) when the index is unreadable or names an unsafe path
     */
    static Set<String> shards(Path index) {
        JsonNode weightMap;
        try {
            weightMap = JSON.readTree(index.toFile()).path("weight_map");
        } catch (IOException e) {
            throw new HubException(HubException.Kind.UNSUPPORTED_REPO, "cannot read " + index + ": " + e.getMessage(),
                    e);
        }
        if (!weightMap.isObject() || weightMap.isEmpty()) {
            throw new HubException(HubException.Kind.UNSUPPORTED_REPO, index + " has no weight_map");
        }
        Set<String> shards = new LinkedHashSet<>();
        weightMap.forEach(shard -> shards.add(checkRelativePath(shard.asText(), index)));
        return shards;
    }

    /** @return whether the snapshot directory holds every file the model needs */
    static boolean isComplete(Path snapshot) {
        if (!REQUIRED.stream().allMatch(f -> Files.isRegularFile(snapshot.resolve(f)))) {
            return false;
        }
        if (Files.isRegularFile(snapshot.resolve(WEIGHTS))) {
            return true;
        }
        Path index = snapshot.resolve(INDEX);
        if (!Files.isRegularFile(index)) {
            return false;
        }
        try {
            return shards(index).stream().allMatch(f -> Files.isRegularFile(snapshot.resolve(f)));
        } catch (HubException e) {
            return false;
        }
    }

    /**
     * @return the path, when it is a plain relative path inside the repository (no {@code ..}, no root, no
     *     backslash)
     */
    static String checkRelativePath(String file, Object origin) {
        boolean safe = !file.isEmpty() && !file.startsWith("/") && !file.contains("\\")
                && file.chars().noneMatch(Character::isISOControl);
        for (String segment : file.split("/", -1)) {
            safe &= !segment.isEmpty() && !segment.equals(".") && !segment.equals("..");
        }
        if (!safe) {
            throw new HubException(HubException.Kind.UNSUPPORTED_REPO, origin + " names an unsafe file path '"
                    + file + "'");
        }
        return file;
    }
}
