package io.github.tokenprepending.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes huggingface_hub cache entries by hand, the way the Python library lays them out. */
final class CacheLayout {

    private CacheLayout() { }

    static Path repoDir(Path cacheRoot, String repoId) {
        return cacheRoot.resolve("models--" + repoId.replace("/", "--"));
    }

    /** @return the files of a complete single-file model */
    static Map<String, byte[]> completeModel() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("config.json", "{\"model_type\": \"llama\"}".getBytes(StandardCharsets.UTF_8));
        files.put("tokenizer.json", "{}".getBytes(StandardCharsets.UTF_8));
        files.put("tokenizer_config.json", "{}".getBytes(StandardCharsets.UTF_8));
        files.put("model.safetensors", FakeHub.bytes(3000, 7));
        return files;
    }

    /** Writes blobs and a snapshot of relative links to them; returns the snapshot directory. */
    static Path snapshot(Path cacheRoot, String repoId, String commit, Map<String, byte[]> files) {
        Path repo = repoDir(cacheRoot, repoId);
        Path snapshot = repo.resolve("snapshots").resolve(commit);
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Path blob = repo.resolve("blobs").resolve(FakeHub.sha256Hex(file.getValue()));
                Files.createDirectories(blob.getParent());
                Files.write(blob, file.getValue());
                Path link = snapshot.resolve(file.getKey());
                Files.createDirectories(link.getParent());
                Files.createSymbolicLink(link, link.getParent().relativize(blob));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return snapshot;
    }

    static void ref(Path cacheRoot, String repoId, String revision, String commit) {
        Path ref = repoDir(cacheRoot, repoId).resolve("refs").resolve(revision);
        try {
            Files.createDirectories(ref.getParent());
            Files.writeString(ref, commit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
