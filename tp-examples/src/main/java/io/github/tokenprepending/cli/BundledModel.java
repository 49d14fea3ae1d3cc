package io.github.tokenprepending.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The toy model shipped inside tp.jar: Karpathy's stories260K (a 260K-parameter Llama trained on TinyStories, MIT)
 * in HuggingFace layout. It proves the pipeline without a download; it is not a useful embedding model.
 * Extracted once into {@code ~/.cache/token-prepending/} under a name that includes the content hash, atomically.
 */
final class BundledModel {
    static final String NAME = "stories260K-hf";
    private static final String ROOT = "/io/github/tokenprepending/cli/" + NAME + "/";
    private static final List<String> FILES = List.of("config.json", "model.safetensors", "tokenizer.json",
            "tokenizer_config.json", "special_tokens_map.json", "LICENSE.llama2.c.MIT.txt",
            "LICENSE.python-gen-worker.MIT.txt", "SOURCES.md");

    private BundledModel() {
    }

    /**
     * @return the extracted model directory
     * @throws IOException if the cache directory cannot be written
     */
    static Path directory() throws IOException {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "token-prepending");
        Path target = cache.resolve(NAME + "-" + contentHash());
        if (Files.isRegularFile(target.resolve("model.safetensors"))) {
            return target;
        }
        Files.createDirectories(cache);
        Path tmp = Files.createTempDirectory(cache, NAME + ".tmp");
        try {
            for (String file : FILES) {
                try (InputStream in = open(file)) {
                    Files.copy(in, tmp.resolve(file));
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
                if (!Files.isRegularFile(target.resolve("model.safetensors"))) {
                    throw e;
                }
            }
        } finally {
            deleteTree(tmp);
        }
        return target;
    }

    private static String contentHash() throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String file : FILES) {
                try (InputStream in = open(file)) {
                    sha.update(in.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InputStream open(String file) {
        return Objects.requireNonNull(BundledModel.class.getResourceAsStream(ROOT + file),
                "tp.jar lacks the bundled model file " + file);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
